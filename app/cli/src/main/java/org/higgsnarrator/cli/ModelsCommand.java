package org.higgsnarrator.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.higgsnarrator.models.BenchResults;
import org.higgsnarrator.models.Digests;
import org.higgsnarrator.models.HubClient;
import org.higgsnarrator.models.ModelStore;
import org.higgsnarrator.models.ModelsOptions;
import org.higgsnarrator.export.ModelInstaller;
import org.higgsnarrator.models.PackageConverter;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.models.PrecisionAdvisor;
import org.higgsnarrator.models.ResourceEstimator;
import org.higgsnarrator.pkg.PackageManifest;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;

/** {@code ./narrator models}: list, download, import, verify or remove model packages; precision advice. */
public final class ModelsCommand implements Command {
    /** The released audio tokenizer's repository, downloaded beside the generation model. */
    static final String CODEC_REPO = "bosonai/higgs-audio-v2-tokenizer";

    private final PackageConverter converter;

    public ModelsCommand() {
        this(org.higgsnarrator.export.PackageConversion::convert);
    }

    ModelsCommand(PackageConverter converter) {
        this.converter = converter;
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public String summary() {
        return "List, download, import, verify or remove model packages.";
    }

    @Override
    public String usage() {
        ModelsOptions d = ModelsOptions.defaults();
        return """
                Usage: ./narrator models <action> [options]

                Model packages live in the models folder (one folder each); the bundled test package lives in
                <app>/onnx-models and cannot be removed.

                Actions:
                  list                      packages: name, precision, size, random-weights flag (--json for scripts)
                  verify NAME               check every file against the sha256 in the package manifest
                  remove NAME               delete an installed package
                  download REPO             download a Hugging Face repository, resumable, checksums verified
                                            (e.g. bosonai/higgs-audio-v2-generation-3B-base and %s)
                  import CHECKPOINT_DIR     convert a downloaded generation model + audio tokenizer into a package,
                                            with size/memory estimates per precision, then verify and install it
                  advise                    recommend a precision for this machine (RAM, CPUs, provider, bench results)

                Options:
                  --models-dir DIR          models folder (default %s; or NARRATOR_MODELS_DIR)
                  --json                    list: one JSON array on stdout
                download:
                  --revision REV            branch, tag or commit (default main); resolved to its commit first,
                                            which is downloaded and recorded (the package's manifest names it)
                  --endpoint URL            hub address (default %s; or HF_ENDPOINT); for gated repositories a
                                            token from HF_TOKEN, HUGGING_FACE_HUB_TOKEN or huggingface-cli login
                  --out DIR                 target folder (default %s/<owner>__<name>)
                  --include GLOB            only matching files (repeatable; '*.json', 'sub/**'); default
                                            *.json *.safetensors *.pth *.jinja *.txt
                  --jobs N                  files downloaded at once (default %d)
                  --retries N               automatic resumes of a broken transfer (default %d)
                import:
                  --codec DIR               the audio tokenizer folder (default: %s beside CHECKPOINT_DIR)
                  --tokenizer FILE          tokenizer.json (default CHECKPOINT_DIR/tokenizer.json)
                  --precision P             fp32, fp16, int8, int4, int8-fp16 or int4-fp16 (default: the advice for this machine)
                  --name NAME               package folder name (default <checkpoint folder>-<precision>)
                advise:
                  --provider cpu|cuda       execution provider to advise for (default cpu)
                  --checkpoint DIR          estimate from a downloaded checkpoint instead of installed packages
                  --bench FILE              bench results (default %s)
                  --placement DIR           also open that model package on the provider, run one decode step
                                            profiled and say where its nodes ran ("N nodes on CUDA, M on CPU
                                            (ops…)"); without it, the CUDA advice says which precisions would put
                                            attention on the CPU

                Progress goes to stderr. Exit status: 0 ok, 1 failed (message says why), 2 usage error.
                """.formatted(CODEC_REPO, d.modelsRoot(), d.hubEndpoint(), d.downloadsRoot(), d.parallelDownloads(), d.downloadRetries(),
                CODEC_REPO.replace("/", "__"), d.benchFile());
    }

    @Override
    public int run(Args args) throws Exception {
        List<String> pos = args.positionals();
        if (pos.isEmpty()) throw new Args.UsageException("missing action (list, verify, remove, download, import, advise)");
        ModelsOptions o = ModelsOptions.defaults();
        if (args.has("models-dir")) o = o.withModelsRoot(args.path("models-dir"));
        String action = pos.getFirst();
        List<String> rest = pos.subList(1, pos.size());
        return switch (action) {
            case "list" -> {
                args.rejectUnknown(Set.of("models-dir", "json"));
                noMore(rest, 0, "list");
                yield list(new ModelStore(o), args.has("json"));
            }
            case "verify" -> {
                args.rejectUnknown(Set.of("models-dir"));
                yield verify(new ModelStore(o), one(rest, "verify NAME"));
            }
            case "remove" -> {
                args.rejectUnknown(Set.of("models-dir"));
                yield remove(new ModelStore(o), one(rest, "remove NAME"));
            }
            case "download" -> {
                args.rejectUnknown(Set.of("models-dir", "revision", "endpoint", "out", "include", "jobs", "retries"));
                yield download(o, args, one(rest, "download REPO"));
            }
            case "import" -> {
                args.rejectUnknown(Set.of("models-dir", "codec", "tokenizer", "precision", "name", "checkpoint", "provider", "bench"));
                String ckpt = rest.isEmpty() ? args.require("checkpoint") : one(rest, "import CHECKPOINT_DIR");
                yield importCheckpoint(o, args, Path.of(ckpt));
            }
            case "advise" -> {
                args.rejectUnknown(Set.of("models-dir", "provider", "checkpoint", "codec", "tokenizer", "bench", "placement"));
                noMore(rest, 0, "advise");
                yield advise(o, args);
            }
            default -> throw new Args.UsageException("unknown action '" + action + "' (list, verify, remove, download, import, advise)");
        };
    }

    // ---------------------------------------------------------------------------------------------------- actions

    private static int list(ModelStore store, boolean json) throws IOException {
        List<ModelStore.Entry> all = store.list();
        PrintStream out = System.out;
        if (json) {
            JsonArray arr = new JsonArray();
            for (ModelStore.Entry e : all) {
                JsonObject j = new JsonObject();
                j.addProperty("id", e.id());
                j.addProperty("name", e.name());
                j.addProperty("precision", e.precisionName());
                j.addProperty("sizeBytes", e.sizeBytes());
                j.addProperty("randomWeights", e.randomWeights());
                j.addProperty("bundled", e.bundled());
                j.addProperty("path", e.dir().toString());
                if (e.source() != null) j.addProperty("source", e.source());
                if (e.problem() != null) j.addProperty("problem", e.problem());
                arr.add(j);
            }
            out.println(PackageManifest.GSON.toJson(arr));
            return 0;
        }
        if (all.isEmpty()) {
            out.println("No model packages in " + store.root() + ".");
        } else {
            out.printf(Locale.ROOT, "%-40s %-9s %9s  %s%n", "PACKAGE", "PRECISION", "SIZE", "NOTES");
            for (ModelStore.Entry e : all) {
                String notes = (e.bundled() ? "bundled; " : "") + (e.randomWeights() ? "random weights (tests the pipeline, does not speak); " : "")
                        + (e.problem() != null ? "PROBLEM: " + e.problem() + "; " : "") + (e.name().equals(e.id()) ? "" : e.name() + "; ")
                        + (e.source() != null ? "from " + e.source() : "");
                out.printf(Locale.ROOT, "%-40s %-9s %9s  %s%n", e.id(), e.precisionName(), Digests.human(e.sizeBytes()), notes.replaceAll("; $", ""));
            }
        }
        out.println("Models folder: " + store.root());
        return 0;
    }

    private static int verify(ModelStore store, String name) throws IOException {
        ModelStore.Entry e = store.find(name);
        if (e.problem() != null) {
            System.err.println(e.problem());
            return 1;
        }
        ConsoleProgress p = new ConsoleProgress(System.err);
        ModelStore.VerifyReport r = ModelStore.verify(e.dir(), p);
        p.finish();
        if (!r.ok()) {
            System.err.println(e.id() + " FAILED verification (" + r.problems().size() + " of " + r.files() + " files):");
            r.problems().forEach(x -> System.err.println("  " + x));
            return 1;
        }
        System.out.println(e.id() + ": OK, " + r.files() + " files, " + Digests.human(r.bytes()) + " match the manifest");
        return 0;
    }

    private static int remove(ModelStore store, String name) throws IOException {
        ModelStore.Entry e = store.find(name);
        store.remove(e.id());
        System.out.println("Removed " + e.id() + " (" + Digests.human(e.sizeBytes()) + " freed)");
        return 0;
    }

    private static int download(ModelsOptions o, Args args, String repo) throws Exception {
        URI endpoint = args.has("endpoint") ? URI.create(args.get("endpoint")) : o.hubEndpoint();
        o = o.withHub(endpoint, args.getInt("jobs", o.parallelDownloads()), args.getInt("retries", o.downloadRetries()));
        Path out = args.has("out") ? args.path("out") : o.downloadsRoot().resolve(repo.replace("/", "__"));
        String rev = args.get("revision", "main");
        System.err.println("Downloading " + repo + " (" + rev + ") from " + endpoint + " to " + out);
        ConsoleProgress p = new ConsoleProgress(System.err);
        HubClient.DownloadResult r;
        try {
            r = new ModelInstaller(o).download(repo, rev, out, args.all("include"), p::download);
        } finally {
            p.finish();
        }
        long total = r.files().stream().mapToLong(f -> Math.max(0, f.size())).sum();
        System.out.println("Downloaded " + repo + (r.commit() != null ? " at commit " + r.commit() : " (" + rev + ", the hub gave no commit)") + ": " + r.files().size() + " files, " + Digests.human(total) + " verified ("
                + Digests.human(r.bytesTransferred()) + " transferred now) in " + out);
        if (Files.exists(out.resolve("config.json")) && !repo.equals(CODEC_REPO)) {
            System.out.println("Next: ./narrator models download " + CODEC_REPO + "   then   ./narrator models import " + out);
        }
        return 0;
    }

    private int importCheckpoint(ModelsOptions o, Args args, Path ckpt) throws Exception {
        Path tokenizer = args.has("tokenizer") ? args.path("tokenizer") : ckpt.resolve("tokenizer.json");
        ModelInstaller.readConfig(ckpt, tokenizer);   // first: a wrong folder is named as such, before any --codec advice
        Path codec = args.has("codec") ? args.path("codec") : defaultCodecDir(ckpt);
        ModelInstaller installer = new ModelInstaller(o, converter);
        ModelStore store = installer.store();
        Precision precision = args.has("precision") ? parsePrecision(args.get("precision")) : null;
        Map<Precision, ResourceEstimator.Estimate> est;
        if (precision == null) {
            ModelStore.ImportPlan probe = installer.plan(new ModelStore.ImportRequest(ckpt, codec, tokenizer, Precision.INT4, args.get("name")));
            PrecisionAdvisor.Advice a = ModelInstaller.advise(probe, "cuda".equals(args.get("provider")), bench(o, args));
            precision = a.recommended();
            System.err.println("No --precision given: " + precision + " (" + a.reason() + ")");
        }
        ModelStore.ImportPlan plan = installer.plan(new ModelStore.ImportRequest(ckpt, codec, tokenizer, precision, args.get("name")));
        est = plan.estimates();
        System.err.println(estimateTable(est, precision, o.contextTokens()));
        System.err.println("Disk: " + Digests.human(plan.chosen().diskBytes()) + " needed, " + Digests.human(plan.freeDiskBytes()) + " free in " + store.root());
        if (!plan.blockers().isEmpty()) {
            System.err.println("Cannot import:");
            plan.blockers().forEach(b -> System.err.println("  " + b));
            return 1;
        }
        System.err.println("Converting " + ckpt + " + " + codec + " → " + plan.target() + " (" + precision + ")");
        ConsoleProgress p = new ConsoleProgress(System.err);
        ModelStore.Entry e;
        try {
            e = installer.install(plan, p);
        } finally {
            p.finish();
        }
        System.out.println("Installed " + e.id() + " (" + e.precision() + ", " + Digests.human(e.sizeBytes()) + ") in " + e.dir());
        return 0;
    }

    private static int advise(ModelsOptions o, Args args) throws IOException {
        String provider = args.get("provider", "cpu");
        if (!provider.equals("cpu") && !provider.equals("cuda")) throw new Args.UsageException("--provider is cpu or cuda, got '" + provider + "'");
        Map<Precision, Long> needs = new EnumMap<>(Precision.class);
        String basis;
        if (args.has("checkpoint")) {
            Path ckpt = args.path("checkpoint");
            Path tokenizer = args.has("tokenizer") ? args.path("tokenizer") : ckpt.resolve("tokenizer.json");
            ModelInstaller.readConfig(ckpt, tokenizer);   // a wrong folder is named before any --codec advice
            Path codec = args.has("codec") ? args.path("codec") : defaultCodecDir(ckpt);
            ModelStore.ImportPlan plan = new ModelInstaller(o).plan(new ModelStore.ImportRequest(ckpt, codec, tokenizer, Precision.INT4, null));
            needs.putAll(PrecisionAdvisor.ramOf(plan.estimates()));
            basis = "estimates from " + ckpt;
            System.out.println(estimateTable(plan.estimates(), null, o.contextTokens()));
        } else {
            for (ModelStore.Entry e : new ModelStore(o).list()) {
                if (e.manifest() == null || e.randomWeights() || e.manifest().model() == null) continue;
                Precision p = e.precision();
                if (p == null) continue;
                needs.merge(p, ResourceEstimator.ramForPackage(e.manifest().model(), p, e.sizeBytes(), o.contextTokens()), Math::max);
            }
            basis = needs.isEmpty() ? "no converted packages installed — memory unknown (pass --checkpoint DIR to estimate from a download)"
                    : "installed packages " + needs.keySet();
        }
        PrecisionAdvisor.Advice a = PrecisionAdvisor.advise(PrecisionAdvisor.MachineInfo.detect(provider.equals("cuda")), needs, bench(o, args));
        System.out.println("Based on " + basis + ".");
        System.out.println(a.describe());
        if (provider.equals("cuda")) {
            for (Precision p : Precision.values()) {
                if (!p.attentionRunsOnCuda()) System.out.println("  " + p + ": not advised on CUDA — its attention runs on the CPU (fp32 activations and KV cache)");
            }
        }
        if (args.has("placement")) System.out.println(placement(args.path("placement"), provider.equals("cuda") ? Device.CUDA : Device.CPU));
        return 0;
    }

    /** Where the decode step of a package runs on {@code device}, measured (one profiled step). */
    static String placement(Path pkgDir, Device device) {
        ModelPackage pkg = ModelPackage.open(pkgDir, false);
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(device).withPlacementReport(true));
        try (OrtAudioLanguageModel m = new OrtAudioLanguageModel(pkg, rt)) {
            String line = "Placement of " + pkgDir + " (" + pkg.manifest().precision() + ") on " + rt.device() + ": " + m.placement().summary();
            var cpuAttention = org.higgsnarrator.runtime.CudaPlacement.attentionOnCpu(rt.device(), pkg.kvType(), m.placement());
            return cpuAttention.map(w -> line + System.lineSeparator() + "  ATTENTION ON THE CPU: " + w).orElse(line);
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers


    private static Path defaultCodecDir(Path ckpt) {
        Path parent = ckpt.toAbsolutePath().normalize().getParent();
        Path guess = parent == null ? null : parent.resolve(CODEC_REPO.replace("/", "__"));
        if (guess != null && Files.isDirectory(guess)) return guess;
        throw new Args.UsageException("missing --codec DIR (the audio tokenizer; download it with ./narrator models download " + CODEC_REPO + ")");
    }

    private static BenchResults bench(ModelsOptions o, Args args) {
        Path f = args.has("bench") ? args.path("bench") : o.benchFile();
        try {
            return BenchResults.read(f);
        } catch (IOException e) {
            System.err.println("warning: " + e.getMessage());
            return BenchResults.empty();
        }
    }

    private static Precision parsePrecision(String s) {
        try {
            return Precision.parse(s);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    static String estimateTable(Map<Precision, ResourceEstimator.Estimate> est, Precision chosen, int context) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Estimates (%,d parameters; memory with a %d-token KV cache and the prefill's prepacked weights):%n",
                est.values().iterator().next().parameters(), context));
        sb.append(String.format(Locale.ROOT, "  %-9s %10s %10s%n", "precision", "disk", "memory"));
        for (ResourceEstimator.Estimate e : est.values()) {
            sb.append(String.format(Locale.ROOT, "  %-9s %10s %10s%s%n", e.precision(), Digests.human(e.diskBytes()), Digests.human(e.ramBytes()),
                    e.precision() == chosen ? "   ← chosen" : ""));
        }
        return sb.toString().stripTrailing();
    }

    private static String one(List<String> rest, String form) {
        if (rest.size() != 1) throw new Args.UsageException("expected: models " + form);
        return rest.getFirst();
    }

    private static void noMore(List<String> rest, int n, String action) {
        if (rest.size() > n) throw new Args.UsageException("unexpected argument '" + rest.get(n) + "' for models " + action);
    }
}
