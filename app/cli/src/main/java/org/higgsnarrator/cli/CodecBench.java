package org.higgsnarrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.codec.StreamingDecoder;
import org.higgsnarrator.config.CodecConfig;
import org.higgsnarrator.export.codec.CodecExporter;
import org.higgsnarrator.export.codec.ReleasedShapeCodec;
import org.higgsnarrator.pkg.PackageManifest;

/**
 * {@code ./narrator bench codec}: encode and decode speed of the audio tokenizer as a multiple of real time (audio
 * seconds per wall-clock second; above 1 is faster than real time), on a fixed number of ORT threads.
 */
public final class CodecBench {
    private CodecBench() {}

    public static final String USAGE = """
            Usage: ./narrator bench codec [--package DIR | --codec DIR] [--threads N] [--seconds S] [--repeat R] [--work DIR]

            Times the codec graphs under ONNX Runtime (CPU) and prints each as a multiple of real time.

              --package DIR  a model package (manifest.json with codec_encoder/codec_decoder graphs)
              --codec DIR    an audio tokenizer checkpoint (transformers or official layout); exported to --work first
                             (default: a codec with the released architecture and random weights — speed does not
                             depend on the weight values)
              --threads N    ORT intra-op threads (default 2)
              --seconds S    length of the test audio (default 10)
              --repeat R     timed runs per measurement, best and median reported (default 3)
              --work DIR     where exported graphs are cached (default: <tmp>/narrator-bench-codec)
              --compare-literal  also time the released-shape decoder built with the literal ONNX forms
                             (ConvTranspose, five-op Snake) to show what the graph optimizations buy
            """;

    /** Standalone entry (until {@code ./narrator bench codec} is wired): same options. */
    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv, java.util.Set.of("compare-literal"));
        if (a.has("help")) {
            System.out.println(USAGE);
            return;
        }
        System.exit(run(a));
    }

    public static int run(Args args) throws Exception {
        int threads = args.getInt("threads", 2);
        double seconds = args.getDouble("seconds", 10);
        int repeat = Math.max(1, args.getInt("repeat", 3));
        Path work = args.has("work") ? args.path("work") : Path.of(System.getProperty("java.io.tmpdir"), "narrator-bench-codec");
        AudioCodec.Options opts = new AudioCodec.Options(threads);

        String source;
        long t0;
        AudioCodec codec;
        if (args.has("package")) {
            Path dir = args.path("package");
            PackageManifest m = PackageManifest.read(dir);
            t0 = System.nanoTime();
            codec = AudioCodec.open(dir, m, opts);
            source = "package " + dir;
        } else {
            Path from = args.path("codec");
            Path dir = work.resolve(from == null ? "released-shape-random" : "codec-" + Integer.toHexString(from.toAbsolutePath().toString().hashCode()));
            Path marker = dir.resolve("codec.json");
            CodecConfig cfg;
            if (Files.isRegularFile(marker)) {
                cfg = PackageManifest.GSON.fromJson(Files.readString(marker), CodecConfig.class);
            } else {
                System.out.println("exporting " + (from == null ? "a released-shape codec with random weights" : from) + " to " + dir + " …");
                long e0 = System.nanoTime();
                cfg = (from == null ? ReleasedShapeCodec.export(dir, 1234) : CodecExporter.export(from, dir)).config();
                Files.writeString(marker, PackageManifest.GSON.toJson(cfg));
                System.out.printf("  export took %.1f s%n", secs(e0));
            }
            t0 = System.nanoTime();
            codec = AudioCodec.open(cfg, dir.resolve(CodecExporter.ENCODER_FILE), dir.resolve(CodecExporter.DECODER_FILE), opts);
            source = from == null ? "released architecture, random weights" : from.toString();
        }
        try (codec) {
            CodecConfig c = codec.config();
            int samples = (int) Math.round(seconds * c.sampleRate());
            double audio = (double) samples / c.sampleRate();
            System.out.printf("codec bench: %s; %d ORT thread(s) on %d available processors; %.1f s of audio (%d samples)%n",
                    source, threads, Runtime.getRuntime().availableProcessors(), audio, samples);
            System.out.printf("decoder session: %.2f s to load; load average before: %s%n", secs(t0), loadAverage());

            float[] wave = testSignal(samples, c.sampleRate());
            long l0 = System.nanoTime();
            int[][] codes = codec.encode(wave); // warm-up; also creates the encoder session
            System.out.printf("encoder session + first encode: %.2f s%n", secs(l0));
            double[] enc = time(repeat, () -> codec.encode(wave));
            report("encode", audio, enc);

            codec.decode(codes); // warm-up
            double[] dec = time(repeat, () -> codec.decode(codes));
            report("decode", audio, dec);
            if (args.has("compare-literal")) {
                Path lit = work.resolve("released-shape-literal-decoder");
                if (!java.nio.file.Files.isRegularFile(lit.resolve(CodecExporter.DECODER_FILE))) ReleasedShapeCodec.exportLiteralDecoder(lit, 1234);
                try (AudioCodec literal = AudioCodec.open(c, null, lit.resolve(CodecExporter.DECODER_FILE), opts)) {
                    literal.decode(codes);
                    report("decode, literal graph (ConvTranspose, 5-op Snake)", audio, time(repeat, () -> literal.decode(codes)));
                }
            }

            int chunk = c.streamChunkFrames(), ctx = c.decoderContextFrames();
            int latency = new StreamingDecoder(codec).startLatencyFrames();
            double[] firstAudio = new double[1];
            double[] str = time(repeat, () -> {
                StreamingDecoder s = new StreamingDecoder(codec);
                long s0 = System.nanoTime();
                boolean first = true;
                for (int f = 0; f < codes[0].length; f++) {
                    int[] frame = new int[codes.length];
                    for (int k = 0; k < codes.length; k++) frame[k] = codes[k][f];
                    float[] out = s.pushFrame(frame);
                    if (first && out.length > 0) {
                        firstAudio[0] = secs(s0);
                        first = false;
                    }
                }
                s.finish();
            });
            report("stream decode (first chunk " + (latency - ctx) + ", then " + chunk + "; " + ctx + " context frames each side)", audio, str);
            System.out.printf("load average after: %s%n", loadAverage());
            System.out.printf("  first streamed audio after %d frames (%.2f s of audio): %.0f ms of decode compute%n",
                    latency, latency / c.framesPerSecond(), firstAudio[0] * 1000);
        }
        return 0;
    }

    /** The 1-minute load average (Linux), so numbers taken on a busy machine say so. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static void report(String what, double audio, double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        double best = s[0], median = s[s.length / 2];
        System.out.printf("%-60s best %.3f s → %.1f× real time; median %.3f s → %.1f×%n", what + ":", best, audio / best, median, audio / median);
    }

    private static double[] time(int repeat, Runnable r) {
        double[] t = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = secs(s);
        }
        return t;
    }

    private static double secs(long from) {
        return (System.nanoTime() - from) / 1e9;
    }

    /** A voiced-speech-like test signal: a gliding harmonic tone with some noise, at about −12 dBFS. */
    static float[] testSignal(int n, int rate) {
        SplittableRandom r = new SplittableRandom(7);
        float[] w = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double f0 = 140 + 40 * Math.sin(2 * Math.PI * i / (rate * 1.7));
            phase += 2 * Math.PI * f0 / rate;
            double v = 0;
            for (int h = 1; h <= 8; h++) v += Math.sin(h * phase) / h;
            w[i] = (float) (0.12 * v + 0.01 * (r.nextDouble() * 2 - 1));
        }
        return w;
    }
}
