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
    private static final Set<String> OPTIONS = Set.of("size-mb", "threads", "passes", "layers", "steps", "precision", "device", "prompt", "model", "policies", "max-frames", "seed");
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
                decode  decode steps/s at the released width (hidden 3072, 24/8 heads, head_dim 128, FFN 8192) with a
                        few layers of synthetic weights, per precision: weight bytes/s achieved, its ratio to the
                        measured bandwidth, ×real-time extrapolated to 28 layers, and prefill tokens/s
                codec   codec encode/decode speed
                chapter a fixed ≈3-minute, eight-paragraph script read by a 10 s cloned voice, end to end on a
                        model package, once per context policy: wall time, ×real-time, prefill / decode / codec
                        split, mean context per decode step, and the long-form overhead (wall time ÷ the same
                        number of decode steps at a short context)
                all     memory, then decode, then codec (default; not chapter)

                Options:
                  --size-mb N        bytes streamed per bandwidth pass (default 1024; several times the last-level cache)
                  --threads N        bandwidth reader threads (default: all cores)
                  --passes N         timed bandwidth passes, best counts (default 5)
                  --layers N         decoder layers of the synthetic model (default 4)
                  --steps N          timed decode steps (default 64, after 8 warm-up steps)
                  --prompt N         prompt tokens before the timed steps (default 256)
                  --precision LIST   comma-separated, of fp32,fp16,int8,int4 (default fp32,int8,int4)
                  --device auto|cpu|cuda
                chapter:
                  --model DIR        model package (default: onnx-models/tiny under the install directory)
                  --policies LIST    context policies as narrate --context spells them
                                     (default window:0,window:1,window:2,carry:1024,carry:2048)
                  --max-frames N     frame limit per chunk (default: the package's)
                  --layers N         instead of --model: the released width with N layers of dense seeded synthetic
                                     weights (converted once, at --precision, default int4), with the bundled
                                     package's tokenizer and codec
                  --seed N           sampling seed (default 0)
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(OPTIONS);
        String what = args.positionals().isEmpty() ? "all" : args.positionals().getFirst();
        if (!List.of("memory", "decode", "codec", "chapter", "all").contains(what)) throw new Args.UsageException("unknown benchmark '" + what + "'");
        if (what.equals("chapter")) return chapter(args);
        List<Precision> precisions = args.has("precision")
                ? Arrays.stream(args.get("precision", "").split(",")).map(Precision::parse).toList() : DecodeBench.PRECISIONS;
        int status = 0;
        MemoryBandwidth.Result bw = null;
        if (what.equals("memory") || what.equals("all") || what.equals("decode")) bw = memory(args, precisions, !what.equals("decode"));
        if (what.equals("decode") || what.equals("all")) status |= decode(args, precisions, bw);
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

    private int decode(Args args, List<Precision> precisions, MemoryBandwidth.Result bw) {
        int layers = args.getInt("layers", 4), steps = args.getInt("steps", 64), prompt = args.getInt("prompt", 256);
        Device device = Device.parse(args.get("device", "auto"));
        ModelConfig cfg = DecodeBench.releaseWidth(layers, DecodeBench.releaseTokens());
        ModelConfig full = DecodeBench.releaseWidth(FULL_LAYERS, DecodeBench.releaseTokens());
        System.out.println("== decode steps at the released width, " + layers + " layers, synthetic weights, prompt " + prompt + " tokens, device " + device);
        System.out.println("  precision  steps/s  weight GB/s  ÷bandwidth  steps/s@" + FULL_LAYERS + "  ×real-time@" + FULL_LAYERS + "  (ceiling)");
        int status = 0;
        java.util.Map<Precision, Double> prefill = new java.util.LinkedHashMap<>();
        for (Precision p : precisions) {
            AudioLanguageModel model;
            try {
                model = syntheticModels().build(cfg, p, device);
            } catch (UnsupportedOperationException | IllegalStateException e) {
                System.out.printf("  %-9s  not measured: %s%n", p, e.getMessage());
                status = 1;
                continue;
            }
            try (model) {
                double sps = DecodeBench.stepsPerSecond(model, prompt, 8, steps);
                var row = new DecodeBench.Row(p, layers, sps, DecodeBench.bytesPerStep(cfg, layers, p), bw.bytesPerSecond(), FULL_LAYERS,
                        DecodeBench.bytesPerStep(full, FULL_LAYERS, p));
                System.out.printf("  %-9s  %7.2f  %11.2f  %10.2f  %10.2f  %13.2f  (×%.2f)%n", p, sps, row.achievedBytesPerSecond() / 1e9,
                        row.bandwidthFraction(), row.fullStepsPerSecond(), row.fullRealTime(FRAMES_PER_SECOND), row.idealRealTime(FRAMES_PER_SECOND));
                record(p, device, row);
                prefill.put(p, DecodeBench.prefillTokensPerSecond(model, prompt, 3));
            }
        }
        System.out.println("  (weight bytes: matrices read per step, int8/int4 with one fp32 scale per 32 weights; @" + FULL_LAYERS
                + " scales the step time by weight bytes)");
        if (!prefill.isEmpty()) {
            System.out.println("== prefill of a " + prompt + "-token prompt (half text, half reference-clip audio positions), best of 3");
            System.out.println("  precision  tokens/s  tokens/s@" + FULL_LAYERS + "  seconds@" + FULL_LAYERS);
            prefill.forEach((p, tps) -> {
                double tpsFull = tps * layers / FULL_LAYERS; // compute-bound: time grows with the layer count
                System.out.printf("  %-9s  %8.1f  %11.1f  %10.2f%n", p, tps, tpsFull, prompt / tpsFull);
            });
            System.out.println("  (@" + FULL_LAYERS + " scales prefill time by the layer count; seconds = time before the first generated frame)");
        }
        return status;
    }

    /**
     * Full-width models with placeholder weights: a synthetic checkpoint (sparse, so nearly no disk for the input)
     * converted by the real exporter at each precision and run by the real ORT model. Cached under
     * {@code <tmp>/narrator-bench-decode}; the tokenizer comes from the bundled package.
     */
    static DecodeBench.SyntheticModels syntheticModels() {
        return (config, precision, device) -> {
            Path work = Path.of(System.getProperty("java.io.tmpdir"), "narrator-bench-decode");
            Path ckpt = work.resolve("checkpoint-" + config.numLayers() + "L");
            if (!java.nio.file.Files.isRegularFile(ckpt.resolve("config.json"))) SyntheticCheckpoint.write(ckpt, config, 1, false);
            Path pkg = work.resolve("package-" + config.numLayers() + "L-" + precision);
            if (!org.higgsnarrator.pkg.PackageManifest.isPackage(pkg)) {
                Path tok = Path.of(System.getProperty("narrator.home", "."), "onnx-models", "tiny", "tokenizer.json");
                ExportOptions opt = ExportOptions.defaults().withPrecision(precision).withMaxContext(4096)
                        .withName("bench " + config.numLayers() + " layers", true).withOverwrite(true);
                System.out.printf("  (converting the synthetic %d-layer checkpoint to %s, once)%n", config.numLayers(), precision);
                Exporter.export(ckpt, tok, pkg, opt, List.of(), Exporter.Progress.SILENT);
            }
            OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(device));
            return new OrtAudioLanguageModel(ModelPackage.open(pkg, false), rt);
        };
    }

    /** Keeps the extrapolated full-model speed where the precision advice ({@code models advise}, the studio) reads it. */
    private static void record(Precision precision, Device device, DecodeBench.Row row) {
        Path file = org.higgsnarrator.models.ModelsOptions.defaults().benchFile();
        try {
            var results = org.higgsnarrator.models.BenchResults.read(file);
            results.with(new org.higgsnarrator.models.BenchResults.Result("higgs-audio-v2 3B (extrapolated from bench decode)", precision,
                    device == Device.CUDA ? Device.CUDA : Device.CPU, 0, row.fullRealTime(FRAMES_PER_SECOND), row.fullStepsPerSecond(),
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
                Precision.parse(args.get("precision", "int4")), device) : NarratorLoader.load(model, device)) {
            GenerationOptions d = narrator.defaultOptions();
            GenerationOptions options = d.withMaxFrames(args.getInt("max-frames", d.maxFrames())).withSeed(args.getLong("seed", 0));
            double shortStep = ChapterBench.shortStepSeconds(narrator, 64);
            String what = args.has("layers") ? "the released width, synthetic dense weights, " + args.get("precision", "int4")
                    : model + (narrator.info().randomWeights() ? " (random weights)" : "");
            System.out.printf("== chapter: %s, %d layers, device %s; 10 s reference voice; a short-context step takes %.2f ms%n", what,
                    narrator.config().numLayers(), device, shortStep * 1e3);
            System.out.println("  policy       chunks  audio s   wall s  ×real-time  prefill s (positions / reused)  decode s (steps, mean context)  codec s  overhead");
            for (String policy : policies) {
                var row = ChapterBench.run(narrator, options, policy.trim(), shortStep);
                var st = row.stats();
                System.out.printf("  %-11s  %6d  %7.1f  %7.1f  %10.3f  %9.1f (%7d / %7d)  %8.1f (%6d, %6.0f)  %7.1f  %8.2f%n", row.policy(), row.chunks(), row.audioSeconds(),
                        st.wallSeconds(), row.realTime(), st.prefillSeconds(), st.prefilledPositions(), st.reusedPositions(), st.decodeSeconds(), st.steps(),
                        st.meanContext(), st.codecSeconds(), row.overhead());
            }
            System.out.println("  (overhead: wall time ÷ (decode steps × the short-context step time); 1.0 = as cheap as decoding with no context)");
        }
        return 0;
    }

    /**
     * A narrator at the released width with {@code layers} layers of dense random weights (seed 1), converted by the
     * real exporter, with the bundled tiny package's tokenizer (the release's) and codec (small: codec time is not the
     * released codec's).
     */
    static Narrator fullWidthNarrator(int layers, Precision precision, Device device) {
        ModelConfig cfg = DecodeBench.releaseWidth(layers, DecodeBench.releaseTokens());
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "narrator-bench-chapter");
        Path ckpt = work.resolve("checkpoint-" + layers + "L-seed1");
        Path tiny = Path.of(System.getProperty("narrator.home", "."), "onnx-models", "tiny");
        if (!java.nio.file.Files.isRegularFile(ckpt.resolve("config.json"))) {
            System.out.printf("  (writing a dense synthetic %d-layer checkpoint, once)%n", layers);
            SyntheticCheckpoint.write(ckpt, cfg, 1, false, 1);
        }
        Path pkg = work.resolve("package-" + layers + "L-" + precision);
        if (!org.higgsnarrator.pkg.PackageManifest.isPackage(pkg)) {
            System.out.printf("  (converting it to %s, once)%n", precision);
            Exporter.export(ckpt, tiny.resolve("tokenizer.json"), pkg, ExportOptions.defaults().withPrecision(precision).withMaxContext(4096)
                    .withName("bench chapter " + layers + " layers", true).withOverwrite(true), List.of(), Exporter.Progress.SILENT);
        }
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(device));
        ModelPackage opened = ModelPackage.open(pkg, false);
        var model = new OrtAudioLanguageModel(opened, rt);
        var tokenizer = org.higgsnarrator.text.TextTokenizer.open(tiny.resolve("tokenizer.json"));
        ModelPackage tinyPkg = ModelPackage.open(tiny, false);
        var codec = org.higgsnarrator.codec.AudioCodec.open(tiny, tinyPkg.manifest(), rt::open);
        var renderer = new org.higgsnarrator.text.ConversationRenderer(new org.higgsnarrator.text.PromptBuilder(tokenizer, cfg), false);
        return new Narrator(model, renderer, new org.higgsnarrator.engine.CodecWaveformDecoder(codec), null, null).closing(tokenizer);
    }

    private int codec(Args args) throws Exception {
        System.out.println("== codec");
        return CodecBench.run(args);
    }
}
