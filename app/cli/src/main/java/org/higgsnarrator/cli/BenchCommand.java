package org.higgsnarrator.cli;

import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.ChapterBench;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.export.ExportOptions;
import org.higgsnarrator.export.Exporter;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.export.GraphWeights;
import org.higgsnarrator.export.SyntheticCheckpoint;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import java.util.Set;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.engine.DecodeBench;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.engine.MemoryBandwidth;

/** {@code ./narrator bench}: Measure speed on this machine (memory bandwidth, decode, codec). */
public final class BenchCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("io-binding", "size-mb", "threads", "passes", "layers", "steps", "precision", "device", "prompt",
            "short", "prefill-prompt", "seed", "cache", "intra-threads", "spinning", "prepack-prefill", "model", "policies", "max-frames", "batch-sizes",
            "packages", "contexts", "rounds");
    /** Frames per second of audio in the release (24 kHz / hop 960): one decode step per frame. */
    private static final double FRAMES_PER_SECOND = 25;
    private static final int FULL_LAYERS = 28;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Measure speed on this machine (memory bandwidth, decode, codec).";
    }

    @Override
    public String usage() {
        return """
                Usage: ./narrator bench [memory|decode|codec|all] [options]

                memory  streaming-read bandwidth of main memory (1 thread and all threads), and the ×real-time a
                        bandwidth-bound decoder of the released model (28 layers) could reach per precision
                decode  decode steps/s at the released width (hidden 3072, 24/8 heads, head_dim 128, FFN 8192) on
                        dense random weights, per precision, at a short and a long context: bytes read per step
                        (weights as the package stores them, KV cache), their ratio to the memory bandwidth
                        measured in the same run, ×real-time; then prefill tokens/s and the process's memory
                codec   codec encode/decode speed
                chapter a fixed ≈3-minute, eight-paragraph script read by a 10 s cloned voice, end to end on a
                        model package, once per context policy: wall time, ×real-time, prefill / decode / codec
                        split, mean context per decode step, and the long-form overhead (wall time ÷ the same
                        number of decode steps at a short context)
                paired  decode steps/s of two or more model packages side by side in one process, round after
                        round, their order turning (a shared machine's load hits all alike): the median and best
                        steps/s per package and context, and each package's median per-round ratio to the first —
                        how graph changes are compared
                all     memory, then decode, then codec (default; not chapter)

                Options:
                  --size-mb N        bytes streamed per bandwidth pass (default 1024; several times the last-level cache)
                  --threads N        bandwidth reader threads (default: all cores)
                  --passes N         timed bandwidth passes, best counts (default 5)
                  --layers N         decoder layers of the synthetic model (default 8; the release has 28: use
                                     --layers 28 for numbers about the release — it converts an 11 GB checkpoint once)
                  --steps N          timed decode steps per context (default 32, after 4 warm-up steps)
                  --rounds N         time both contexts N times in one state and print the medians of the
                                     steps/s and of the bandwidth probed around them (default 1)
                  --short N          the short context, positions (default 256)
                  --prompt N         the long context, positions (default 2048)
                  --prefill-prompt N prompt tokens of the prefill timing (default: --short)
                  --seed N           seed of the random weights (default 1)
                  --cache DIR        where the synthetic checkpoint and packages are kept (default: <tmp>/narrator-bench-decode)
                  --intra-threads N  ORT intra-op threads (default: ORT's, one per core)
                  --spinning auto|on|off|both  ORT thread spinning (default auto: off with ≤ 4 CPUs); both = one row each
                  --prepack-prefill true|false  prepack the CPU prefill session's weights (default true)
                  --precision LIST   comma-separated, of fp32,fp16,int8,int4 (default fp32,int8,int4)
                  --device auto|cpu|cuda
                  --io-binding       decode through the C API IoBinding path, KV cache in the session's device
                                     memory (docs/gpu.md)
                  --batch-sizes LIST also time batched decoding at the short context for these batch sizes
                                     (e.g. 1,2,4,8: N takes of one prompt decoded together): decode calls/s, frames/s
                                     of all sequences together, and each size's speed-up over batch 1
                chapter:
                  --model DIR        model package (default: onnx-models/tiny under the install directory)
                  --policies LIST    context policies as narrate --context spells them
                                     (default window:0,window:1,window:2,carry:1024,carry:2048); before:N is
                                     window:N with every chunk prefilled from scratch (no prefix cache: the
                                     behaviour before the job kept its KV state)
                  --max-frames N     frame limit per chunk (default: the package's)
                  --layers N         instead of --model: the released width with N layers of dense seeded synthetic
                                     weights (converted once, at --precision, default int4), with the bundled
                                     package's tokenizer and codec; kept under --cache like bench decode's
                  --seed N           sampling seed (default 0)
                paired:
                  --packages LIST    comma-separated model package folders (the first is the baseline)
                  --contexts LIST    positions in the KV cache while timed (default 260,2052)
                  --rounds N         rounds (default 7); --steps N timed steps per package, context and round
                                     (default 16); --short N the real prefill before the jump (default 256)
                  --intra-threads N, --spinning auto|on|off, --device, --prepack-prefill as for decode
                                     (--prepack-prefill false keeps two 28-layer packages within 23 GB)
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(OPTIONS);
        String what = args.positionals().isEmpty() ? "all" : args.positionals().getFirst();
        if (!List.of("memory", "decode", "codec", "chapter", "paired", "all").contains(what)) throw new Args.UsageException("unknown benchmark '" + what + "'");
        if (what.equals("chapter")) return chapter(args);
        if (what.equals("paired")) return paired(args);
        List<Precision> precisions = args.has("precision")
                ? Arrays.stream(args.get("precision", "").split(",")).map(Precision::parse).toList() : DecodeBench.PRECISIONS;
        int status = 0;
        MemoryBandwidth.Result bw = null;
        if (what.equals("memory") || what.equals("all") || what.equals("decode")) bw = memory(args, precisions, !what.equals("decode"));
        if (what.equals("decode") || what.equals("all")) status |= decode(args, precisions);
        if (what.equals("codec") || what.equals("all")) status |= codec(args);
        return status;
    }

    private MemoryBandwidth.Result memory(Args args, List<Precision> precisions, boolean report) {
        long bytes = args.getLong("size-mb", 1024) << 20;
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = args.getInt("threads", cores);
        int passes = args.getInt("passes", 5);
        MemoryBandwidth.Result all = MemoryBandwidth.measure(bytes, threads, passes);
        MemoryBandwidth.Result one = threads == 1 ? all : MemoryBandwidth.measure(bytes, 1, passes);
        // The best rate seen is the machine's bandwidth (on a busy machine more threads can be slower than one).
        MemoryBandwidth.Result best = one.bytesPerSecond() > all.bytesPerSecond() ? one : all;
        if (!report) {
            System.out.printf("memory bandwidth: %.2f GB/s (%d thread%s)%n", best.bytesPerSecond() / 1e9, best.threads(), best.threads() == 1 ? "" : "s");
            return best;
        }
        System.out.println("== memory bandwidth (streaming read, best of " + passes + " passes of " + (all.arrayBytes() >> 20) + " MiB)");
        System.out.printf("  1 thread    %8.2f GB/s%n", one.bytesPerSecond() / 1e9);
        System.out.printf("  %-2d threads  %8.2f GB/s   (%.2f× one thread; %d cores)%n", threads, all.bytesPerSecond() / 1e9,
                all.bytesPerSecond() / one.bytesPerSecond(), cores);
        ModelConfig full = DecodeBench.releaseWidth(FULL_LAYERS, DecodeBench.releaseTokens());
        System.out.println("  bandwidth-bound ceiling of the released model (" + FULL_LAYERS + " layers, weights read once per step):");
        for (Precision p : precisions) {
            long b = DecodeBench.bytesPerStep(full, FULL_LAYERS, p);
            double steps = best.bytesPerSecond() / b;
            System.out.printf("    %-5s %7.2f GB/step  ≤ %6.2f steps/s  ≤ ×%.2f real-time%n", p, b / 1e9, steps, steps / FRAMES_PER_SECOND);
        }
        return best;
    }

    private int decode(Args args, List<Precision> precisions) {
        int layers = args.getInt("layers", 8), steps = args.getInt("steps", 32), longCtx = args.getInt("prompt", 2048);
        int shortCtx = Math.min(args.getInt("short", 256), longCtx);
        int prefillTokens = args.getInt("prefill-prompt", shortCtx);
        long seed = args.getLong("seed", 1);
        int rounds = args.getInt("rounds", 1);
        if (layers < 1 || steps < 1 || rounds < 1 || shortCtx < 2 || seed == 0) throw new Args.UsageException("--layers, --steps, --rounds ≥ 1, --short ≥ 2, --seed ≠ 0");
        Device device = Device.parse(args.get("device", "auto"));
        Path cache = benchCache(args);
        List<RuntimeOptions.Spinning> spins = args.get("spinning", "auto").equalsIgnoreCase("both")
                ? List.of(RuntimeOptions.Spinning.OFF, RuntimeOptions.Spinning.ON) : List.of(RuntimeOptions.Spinning.parse(args.get("spinning", "auto")));
        RuntimeOptions base = RuntimeOptions.defaults().withDevice(device).withThreads(args.getInt("intra-threads", 0)).withIoBinding(args.has("io-binding"));
        if (args.has("prepack-prefill")) base = base.withPrepackPrefill(Boolean.parseBoolean(args.get("prepack-prefill", "true")));
        ModelConfig cfg = DecodeBench.releaseWidth(layers, DecodeBench.releaseTokens());
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("== decode steps at the released width, " + layers + " layers" + (layers < FULL_LAYERS ? " (the release has " + FULL_LAYERS + ")" : "")
                + ", dense random weights (seed " + seed + "), device " + device);
        if (rounds > 1) System.out.printf("  medians of %d rounds of %d steps per context%n", rounds, steps);
        System.out.printf("  machine: %d logical CPUs; load average %s; ORT intra-op threads %s, spinning %s, prepacked prefill %s%n", cores, loadAverage(),
                base.intraOpThreads() == 0 ? "default" : Integer.toString(base.intraOpThreads()),
                spins.size() > 1 ? "off and on" : spins.getFirst() + " (" + (base.withSpinning(spins.getFirst()).spinsHere() ? "on" : "off") + ")", base.prepackPrefill());
        System.out.println("  precision  context  steps/s  ×real-time  weights MB  KV MB  bandwidth GB/s  weight GB/s  ÷bandwidth  (weights+KV)÷bandwidth");
        int status = 0;
        List<DecodeBench.Row> rows = new java.util.ArrayList<>();
        java.util.Map<Precision, Double> prefill = new java.util.LinkedHashMap<>();
        java.util.Map<Precision, Long> rss = new java.util.LinkedHashMap<>();
        java.util.Map<DecodeBench.Row, Precision> recordable = new java.util.LinkedHashMap<>();
        for (Precision p : precisions) {
            for (RuntimeOptions.Spinning spin : spins) {
                RuntimeOptions ro = base.withSpinning(spin);
                Path pkg;
                AudioLanguageModel model;
                try {
                    pkg = syntheticPackage(cache, cfg, p, seed);
                    model = OrtAudioLanguageModel.open(ModelPackage.open(pkg, false), new OrtRuntime(ro));
                } catch (UnsupportedOperationException | IllegalStateException e) {
                    System.out.printf("  %-9s  not measured: %s%n", p, e.getMessage());
                    status = 1;
                    continue;
                }
                try (model) {
                    long weights = GraphWeights.matrixBytes(ModelPackage.open(pkg, false).graphFile(org.higgsnarrator.pkg.GraphIo.Role.DECODE_STEP));
                    int kvBytes = ModelPackage.open(pkg, false).kvType().bytes();
                    long probeBytes = Math.min(args.getLong("size-mb", 1024), 512) << 20;
                    var sp = DecodeBench.stepsPerSecond(model, shortCtx, longCtx, 4, steps, rounds,
                            () -> MemoryBandwidth.measure(probeBytes, cores, 3).bytesPerSecond());
                    String label = p + (spins.size() > 1 ? "/spin-" + (ro.spinsHere() ? "on" : "off") : "");
                    rows.add(new DecodeBench.Row(label, layers, sp.shortContext(), sp.shortStepsPerSecond(), weights,
                            DecodeBench.kvBytesPerStep(cfg, sp.shortContext(), kvBytes), sp.shortBandwidth()));
                    if (spins.size() == 1) recordable.put(rows.getLast(), p);
                    if (!Double.isNaN(sp.longStepsPerSecond())) {
                        rows.add(new DecodeBench.Row(label, layers, sp.longContext(), sp.longStepsPerSecond(), weights,
                                DecodeBench.kvBytesPerStep(cfg, sp.longContext(), kvBytes), sp.longBandwidth()));
                    }
                    if (spin == spins.getFirst()) {
                        prefill.put(p, DecodeBench.prefillTokensPerSecond(model, prefillTokens, 3));
                        rss.put(p, residentBytes());
                    }
                    for (DecodeBench.Row r : rows.subList(Math.max(0, rows.size() - 2), rows.size())) print(r);
                    if (args.has("batch-sizes") && spin == spins.getFirst()) batches(model, args, label, shortCtx, steps);
                    if (model instanceof OrtAudioLanguageModel m && m.placement() != null && spin == spins.getFirst()) {
                        System.out.printf("  %-9s  placement: %s%n", label, m.placement().summary());
                    }
                }
            }
        }
        System.out.printf("  load average after: %s%n", loadAverage());
        if (layers == FULL_LAYERS) recordable.forEach((r, p) -> record(p, device, r));
        System.out.println("  (weights: bytes of the matrices the decode_step graph reads, counted from the package; KV: keys and values of every"
                + " layer at that context, each KV head once; bandwidth: probed right before and after each timing, the higher;"
                + " ÷bandwidth = bytes/s read ÷ that bandwidth)");
        if (layers < FULL_LAYERS) System.out.println("  (" + layers + " layers: the release's " + FULL_LAYERS + " layers read about " + FULL_LAYERS / layers
                + "× the bytes per step; run --layers " + FULL_LAYERS + " to measure it)");
        if (!prefill.isEmpty()) {
            System.out.println("== prefill of a " + prefillTokens + "-token prompt (half text, half reference-clip audio positions), best of 3, " + layers + " layers");
            System.out.println("  precision  tokens/s  seconds  process RSS after (GB)");
            prefill.forEach((p, tps) -> System.out.printf("  %-9s  %8.1f  %7.2f  %6.2f%n", p, tps, prefillTokens / tps, rss.get(p) / 1e9));
        }
        return status;
    }

    /** {@code bench paired}: packages timed side by side (DecodeBench.pairedStepsPerSecond). */
    private int paired(Args args) {
        List<Path> pkgs = Arrays.stream(args.get("packages", "").split(",")).filter(x -> !x.isBlank()).map(Path::of).toList();
        if (pkgs.size() < 2) throw new Args.UsageException("bench paired needs --packages A,B[,…]: two or more model package folders");
        int[] contexts = Arrays.stream(args.get("contexts", "260,2052").split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = args.getInt("rounds", 7), steps = args.getInt("steps", 16), prefillTokens = args.getInt("short", 256);
        if (rounds < 1 || steps < 1 || prefillTokens < 2) throw new Args.UsageException("--rounds, --steps ≥ 1, --short ≥ 2");
        RuntimeOptions ro = RuntimeOptions.defaults().withDevice(Device.parse(args.get("device", "auto")))
                .withThreads(args.getInt("intra-threads", 0)).withSpinning(RuntimeOptions.Spinning.parse(args.get("spinning", "auto")));
        if (args.has("prepack-prefill")) ro = ro.withPrepackPrefill(Boolean.parseBoolean(args.get("prepack-prefill", "true")));
        List<AudioLanguageModel> models = new java.util.ArrayList<>();
        try {
            for (Path p : pkgs) models.add(OrtAudioLanguageModel.open(ModelPackage.open(p, false), new OrtRuntime(ro)));
            System.out.printf("== paired decode: %d packages, %d rounds of %d steps per context; load average %s%n", pkgs.size(), rounds, steps, loadAverage());
            double[][][] sps = DecodeBench.pairedStepsPerSecond(models, contexts, prefillTokens, rounds, 4, steps);
            System.out.println("  package  context  median steps/s  best steps/s  median ratio to the first (per round)  steps/s of each round");
            for (int ci = 0; ci < contexts.length; ci++) {
                for (int m = 0; m < pkgs.size(); m++) {
                    double[] ratios = new double[rounds];
                    for (int r = 0; r < rounds; r++) ratios[r] = sps[m][ci][r] / sps[0][ci][r];
                    System.out.printf("  %s  %7d  %14.2f  %12.2f  %8.3f   rounds: %s%n", pkgs.get(m), contexts[ci], DecodeBench.median(sps[m][ci]),
                            Arrays.stream(sps[m][ci]).max().orElse(Double.NaN), DecodeBench.median(ratios),
                            String.join(" ", Arrays.stream(sps[m][ci]).mapToObj(v -> String.format("%.1f", v)).toList()));
                }
            }
            System.out.printf("  load average after: %s%n", loadAverage());
            return 0;
        } finally {
            models.forEach(AudioLanguageModel::close);
        }
    }

    /** {@code --batch-sizes}: batched decode calls/s per batch size at the short context (Java API path). */
    private static void batches(AudioLanguageModel model, Args args, String label, int context, int steps) {
        if (!model.batchable()) {
            System.out.printf("  %-9s  batched: not measured (%s decodes one sequence at a time; run without --io-binding)%n", label,
                    model.getClass().getSimpleName());
            return;
        }
        double one = Double.NaN;
        for (String b : args.get("batch-sizes", "").split(",")) {
            int n;
            try {
                n = Integer.parseInt(b.trim());
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--batch-sizes expects batch sizes like 1,2,4,8, got '" + b + "'");
            }
            if (n < 1) throw new Args.UsageException("--batch-sizes must be ≥ 1, got " + n);
            double calls = DecodeBench.batchStepsPerSecond(model, n, context, 4, steps);
            if (n == 1) one = calls;
            System.out.printf("  %-9s  batch %2d at %d positions: %7.2f calls/s  %8.2f frames/s (×%.2f real-time in all)%s  load %s%n", label, n, context,
                    calls, calls * n, calls * n / FRAMES_PER_SECOND, Double.isNaN(one) ? "" : String.format("  %.2f× batch 1's frames/s", calls * n / one),
                    loadAverage());
        }
    }

    private static void print(DecodeBench.Row r) {
        System.out.printf("  %-9s  %7d  %7.2f  %10.3f  %10.0f  %5.0f  %14.2f  %11.2f  %10.2f  %10.2f%n", r.precision(), r.context(), r.stepsPerSecond(),
                r.realTime(FRAMES_PER_SECOND), r.weightBytes() / 1e6, r.kvBytes() / 1e6, r.bandwidth() / 1e9, r.weightBytesPerSecond() / 1e9,
                r.weightFraction(), r.totalFraction());
    }

    /** The 1/5/15-minute load averages (what else ran while this measured). */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return String.format(java.util.Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** This process's resident set (Linux), 0 when unknown. */
    private static long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux
        }
        return 0;
    }

    /** Where synthetic checkpoints and their packages are kept, shared by bench decode and bench chapter. */
    private static Path benchCache(Args args) {
        return Path.of(args.get("cache", Path.of(System.getProperty("java.io.tmpdir"), "narrator-bench-decode").toString()));
    }

    /**
     * A full-width model with dense random weights: a synthetic checkpoint from {@code seed}, converted by the real
     * exporter at {@code precision}, cached under {@code cache} (a 28-layer checkpoint takes about 11 GB; the
     * tokenizer comes from the bundled package). Dense, because placeholder (mostly zero) weights read faster than
     * memory allows.
     */
    static Path syntheticPackage(Path cache, ModelConfig config, Precision precision, long seed) {
        Path ckpt = cache.resolve("checkpoint-" + config.numLayers() + "L-seed" + seed);
        if (!java.nio.file.Files.isRegularFile(ckpt.resolve("config.json"))) {
            System.out.printf("  (writing a dense random %d-layer checkpoint to %s, once)%n", config.numLayers(), ckpt);
            SyntheticCheckpoint.write(ckpt, config, Math.max(1, config.numLayers() / 4), false, seed);
        }
        Path pkg = cache.resolve("package-" + config.numLayers() + "L-seed" + seed + "-" + precision + "-g" + Exporter.graphRevision());
        if (!org.higgsnarrator.pkg.PackageManifest.isPackage(pkg)) {
            Path tok = Path.of(System.getProperty("narrator.home", "."), "onnx-models", "tiny", "tokenizer.json");
            ExportOptions opt = ExportOptions.defaults().withPrecision(precision).withMaxContext(4096)
                    .withName("bench " + config.numLayers() + " layers", true).withOverwrite(true);
            System.out.printf("  (converting the %d-layer checkpoint to %s, once)%n", config.numLayers(), precision);
            Exporter.export(ckpt, tok, pkg, opt, List.of(), Exporter.Progress.SILENT);
        }
        return pkg;
    }

    /** Keeps the extrapolated full-model speed where the precision advice ({@code models advise}, the studio) reads it. */
    private static void record(Precision precision, Device device, DecodeBench.Row row) {
        Path file = org.higgsnarrator.models.ModelsOptions.defaults().benchFile();
        try {
            var results = org.higgsnarrator.models.BenchResults.read(file);
            results.with(new org.higgsnarrator.models.BenchResults.Result("higgs-audio-v2 3B (bench decode, dense random weights)", precision,
                    device == Device.CUDA ? Device.CUDA : Device.CPU, 0, row.realTime(FRAMES_PER_SECOND), row.stepsPerSecond(),
                    java.time.Instant.now().toString())).write(file);
        } catch (java.io.IOException | RuntimeException e) {
            System.out.println("  (could not record the result in " + file + ": " + e.getMessage() + ")");
        }
    }

    private int chapter(Args args) {
        Path model = args.has("model") ? args.path("model") : Path.of(System.getProperty("narrator.home", ".")).resolve("onnx-models/tiny");
        Device device = Device.parse(args.get("device", "auto"));
        List<String> policies = Arrays.asList(args.get("policies", "window:0,window:1,window:2,carry:1024,carry:2048").split(","));
        try (Narrator narrator = args.has("layers") ? fullWidthNarrator(args.getInt("layers", 8),
                Precision.parse(args.get("precision", "int4")), device, benchCache(args)) : NarratorLoader.load(model, device)) {
            GenerationOptions d = narrator.defaultOptions();
            GenerationOptions options = d.withMaxFrames(args.getInt("max-frames", d.maxFrames())).withSeed(args.getLong("seed", 0));
            String what = args.has("layers") ? "the released width, synthetic dense weights, " + args.get("precision", "int4")
                    : model + (narrator.info().randomWeights() ? " (random weights)" : "");
            System.out.printf("== chapter: %s, %d layers, device %s; 10 s reference voice; load average %s%n", what,
                    narrator.config().numLayers(), device, loadAverage());
            // The short-context step is timed before every policy and after the last; each row is divided by the
            // faster of the two around it (the closer to the work's own cost on a shared machine: a higher overhead).
            double shortStep = ChapterBench.shortStepSeconds(narrator, 64);
            System.out.println("  policy       chunks  audio s   wall s  ×real-time  prefill s (positions / reused)  decode s (steps, mean context)  codec s  short step ms  overhead");
            for (String policy : policies) {
                var row = ChapterBench.run(narrator, options, policy.trim(), shortStep);
                double after = ChapterBench.shortStepSeconds(narrator, 64);
                row = row.withShortStep(Math.min(shortStep, after));
                var st = row.stats();
                System.out.printf("  %-11s  %6d  %7.1f  %7.1f  %10.3f  %9.1f (%7d / %7d)  %8.1f (%6d, %6.0f)  %7.1f  %5.1f / %5.1f  %8.2f%n", row.policy(), row.chunks(), row.audioSeconds(),
                        st.wallSeconds(), row.realTime(), st.prefillSeconds(), st.prefilledPositions(), st.reusedPositions(), st.decodeSeconds(), st.steps(),
                        st.meanContext(), st.codecSeconds(), shortStep * 1e3, after * 1e3, row.overhead());
                shortStep = after;
            }
            System.out.printf("  load average %s%n", loadAverage());
            System.out.println("  (overhead: wall time ÷ (decode steps × the short-context step time); 1.0 = as cheap as decoding with no context)");
        }
        return 0;
    }

    /**
     * A narrator at the released width with {@code layers} layers of dense random weights (seed 1), converted by the
     * real exporter, with the bundled tiny package's tokenizer (the release's) and codec (small: codec time is not the
     * released codec's).
     */
    static Narrator fullWidthNarrator(int layers, Precision precision, Device device, Path cache) {
        ModelConfig cfg = DecodeBench.releaseWidth(layers, DecodeBench.releaseTokens());
        Path tiny = Path.of(System.getProperty("narrator.home", "."), "onnx-models", "tiny");
        Path pkg = syntheticPackage(cache, cfg, precision, 1);
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(device));
        ModelPackage opened = ModelPackage.open(pkg, false);
        var model = new OrtAudioLanguageModel(opened, rt);
        var tokenizer = org.higgsnarrator.text.TextTokenizer.open(tiny.resolve("tokenizer.json"));
        ModelPackage tinyPkg = ModelPackage.open(tiny, false);
        var codec = org.higgsnarrator.codec.AudioCodec.open(tiny, tinyPkg.manifest(), rt::open);
        var renderer = new org.higgsnarrator.engine.ConversationRenderer(new org.higgsnarrator.text.PromptBuilder(tokenizer, cfg), false);
        return new Narrator(model, renderer, new org.higgsnarrator.engine.CodecWaveformDecoder(codec), null, null).closing(tokenizer);
    }

    private int codec(Args args) throws Exception {
        System.out.println("== codec");
        return CodecBench.run(args);
    }
}
