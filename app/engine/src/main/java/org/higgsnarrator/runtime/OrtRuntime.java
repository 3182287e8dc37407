package org.higgsnarrator.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * The one ONNX Runtime environment of the process and the execution provider every session uses. The provider is
 * decided once, at the first session: CUDA when requested or on auto and the CUDA provider loads and the session
 * builds on it, otherwise CPU; {@link #reason()} says why (shown by the CLI and the studio).
 */
public final class OrtRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OrtRuntime.class.getName());

    private final OrtEnvironment env;
    private final RuntimeOptions options;
    private Device device;
    private String reason;

    public OrtRuntime(RuntimeOptions options) {
        this.env = OrtEnvironment.getEnvironment();
        this.options = options;
        if (options.device() == Device.CPU) decide(Device.CPU, "CPU requested (--device cpu)");
        else if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            if (options.device() == Device.CUDA) {
                throw new IllegalStateException("--device cuda: this build of ONNX Runtime has no CUDA provider; build with -Pgpu (onnxruntime_gpu) or use --device cpu");
            }
            decide(Device.CPU, "this ONNX Runtime build has no CUDA provider (CPU build)");
        }
    }

    private void decide(Device d, String why) {
        device = d;
        reason = why;
        LOG.info("ONNX Runtime device: " + d + " — " + why);
    }

    public OrtEnvironment env() {
        return env;
    }

    public RuntimeOptions options() {
        return options;
    }

    /** The device chosen (CPU or CUDA); null until the first session was created on auto/cuda with a CUDA build. */
    public synchronized Device device() {
        return device;
    }

    public synchronized String reason() {
        return reason;
    }

    /**
     * @param cpu the session runs on the CPU provider: only then do the CPU-only choices apply (prepacking off when
     *            asked, spinning); a CUDA session keeps ORT's defaults for both
     */
    /**
     * Physical cores from Linux's CPU topology (distinct package/core pairs, so SMT siblings count once); the JVM's
     * processor count elsewhere or when the topology cannot be read.
     */
    static int physicalCores() {
        int logical = Runtime.getRuntime().availableProcessors();
        try (var cpus = java.nio.file.Files.list(java.nio.file.Path.of("/sys/devices/system/cpu"))) {
            java.util.Set<String> cores = new java.util.HashSet<>();
            for (java.nio.file.Path c : (Iterable<java.nio.file.Path>) cpus.filter(p -> p.getFileName().toString().matches("cpu\\d+"))::iterator) {
                java.nio.file.Path t = c.resolve("topology");
                if (!java.nio.file.Files.isReadable(t.resolve("core_id"))) continue;
                cores.add(java.nio.file.Files.readString(t.resolve("physical_package_id")).strip() + "/" + java.nio.file.Files.readString(t.resolve("core_id")).strip());
            }
            return cores.isEmpty() ? logical : Math.min(logical, cores.size());
        } catch (java.io.IOException | RuntimeException e) {
            return logical;
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger PROFILED = new java.util.concurrent.atomic.AtomicInteger();

    private OrtSession.SessionOptions baseOptions(boolean prepack, boolean cpu) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        if (cpu) {
            if (!prepack) so.addConfigEntry("session.disable_prepacking", "1");
            so.addConfigEntry("session.intra_op.allow_spinning", options.spinsHere() ? "1" : "0");
        }
        // 0 = one thread per physical core, set explicitly: left to ORT (0), the 2-vCPU development VM ran every session
        // on one core — `bench decode --layers 8 --precision int4` measured 32.4 → 42.5 steps/s at 260 positions,
        // 24.2 → 36.7 at 2052 and prefill 122.8 → 223.4 tokens/s with 2 threads given (docs/performance.md, Threading)
        so.setIntraOpNumThreads(options.intraOpThreads() > 0 ? options.intraOpThreads() : physicalCores());
        if (options.interOpThreads() > 0) so.setInterOpNumThreads(options.interOpThreads());
        so.setOptimizationLevel(options.optimizeAll() ? OrtSession.SessionOptions.OptLevel.ALL_OPT : OrtSession.SessionOptions.OptLevel.BASIC_OPT);
        // Developers' knob, not a user setting: extra ORT session config entries (key=value,key=value) for measuring
        // options before they become RuntimeOptions (docs/performance.md)
        String extra = System.getenv("NARRATOR_ORT_SESSION_CONFIG");
        if (cpu && extra != null && !extra.isBlank()) {
            for (String kv : extra.split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("NARRATOR_ORT_SESSION_CONFIG: '" + kv + "' is not key=value");
                so.addConfigEntry(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            }
        }
        // Developers' knob, not a user setting: ORT's per-node profile of every session this process opens, written as
        // PREFIX_<time>.json when the session closes (docs/performance.md, "Where a 28-layer step's time goes").
        String profile = System.getenv("NARRATOR_ORT_PROFILE");
        if (profile != null && !profile.isBlank()) so.enableProfiling(profile + "-" + PROFILED.incrementAndGet());
        return so;
    }

    /** Creates a session for a graph file (external data resolved beside it) on the chosen provider. */
    public OrtSession open(Path graph) {
        return open(graph, true);
    }

    /**
     * @param prepack false disables ORT's weight prepacking for this session if it runs on the CPU (it then reads the
     *                weights in place instead of keeping a second, prepacked copy); ignored on CUDA
     */
    public synchronized OrtSession open(Path graph, boolean prepack) {
        return open(graph, prepack, null);
    }

    /**
     * A session with ORT's profiler on (its trace written under the temporary folder): run what is to be reported,
     * then {@link NodePlacement#collect} ends the profile and reads where each node ran.
     */
    public OrtSession openProfiled(Path graph) {
        try {
            return open(graph, true, java.nio.file.Files.createTempDirectory("narrator-placement").resolve("decode"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a folder for the ORT profile: " + e.getMessage(), e);
        }
    }

    private synchronized OrtSession open(Path graph, boolean prepack, Path profile) {
        try {
            if (device == null || device == Device.CUDA) {
                OrtSession.SessionOptions so = baseOptions(prepack, false);
                if (profile != null) so.enableProfiling(profile.toString());
                try {
                    so.addCUDA(new OrtCUDAProviderOptions(options.cudaDeviceId()));
                    OrtSession s = env.createSession(graph.toString(), so);
                    if (device == null) decide(Device.CUDA, "CUDA provider loaded on device " + options.cudaDeviceId());
                    return s;
                } catch (OrtException | RuntimeException e) {
                    so.close();
                    if (options.device() == Device.CUDA) {
                        throw new IllegalStateException("--device cuda: CUDA cannot be used: " + OrtMessages.describe(e)
                                + " (needs an NVIDIA driver and CUDA 12 + cuDNN 9 libraries on the library path); or use --device cpu", e);
                    }
                    if (device == Device.CUDA) throw new IllegalStateException("CUDA session for " + graph + " failed: " + OrtMessages.describe(e), e);
                    decide(Device.CPU, "CUDA unavailable: " + firstLine(OrtMessages.describe(e)));
                }
            }
            try (OrtSession.SessionOptions so = baseOptions(prepack, true)) {
                if (profile != null) so.enableProfiling(profile.toString());
                return env.createSession(graph.toString(), so);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + graph + ": " + OrtMessages.describe(e)
                    + " — the package may be damaged or from a newer converter; export it again", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The environment is process-wide and lives until exit; nothing to release here. */
    @Override
    public void close() {}
}
