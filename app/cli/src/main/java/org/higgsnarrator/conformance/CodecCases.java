package org.higgsnarrator.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.codec.StreamingDecoder;
import org.higgsnarrator.config.CodecConfig;
import org.higgsnarrator.decode.DelayPattern;
import org.higgsnarrator.export.codec.CodecExporter;
import org.higgsnarrator.pkg.PackageManifest;
import org.higgsnarrator.tensors.SafeTensorsFile;

/**
 * Golden cases of the codec family. The kit's {@code codec-hf/} is exported once into {@code <work>/codec/} and run
 * through ONNX Runtime:
 * <ul>
 *   <li>{@code codec.encode}: {@code codec.wave_in} → codes, exactly {@code codec.codes}</li>
 *   <li>{@code codec.decode}: {@code codec.codes} → {@code codec.wave_out} within the waveform tolerance</li>
 *   <li>{@code codec.random_decode}: {@code codec.random_codes} → {@code codec.random_wave_out}</li>
 *   <li>{@code codec.stream_decode}: the same codes fed to {@link StreamingDecoder} one frame at a time</li>
 *   <li>{@code codec.clips.<case>}: every reference clip of a prompt case encoded, framed with stream BOS/EOS and
 *       delayed, exactly the golden {@code prompt.<case>.audio_input_ids} ({@link #checkPromptClips})</li>
 * </ul>
 */
public final class CodecCases implements CaseGroup {
    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        SafeTensorsFile t = kit.tensors();
        AudioCodec codec;
        try {
            codec = openKitCodec(kit, options);
        } catch (RuntimeException e) {
            for (String n : List.of("codec.encode", "codec.decode", "codec.random_decode", "codec.stream_decode")) {
                out.add(CaseResult.fail(n, "codec export/open failed: " + e.getMessage()));
            }
            return out;
        }
        try (codec) {
            out.add(run("codec.encode", () -> {
                int[][] got = codec.encode(t.floats("codec.wave_in"));
                return compareCodes("codec.encode", got, codes(t, "codec.codes"));
            }));
            out.add(run("codec.decode", () -> compareWave("codec.decode", codec.decode(codes(t, "codec.codes")),
                    t.floats("codec.wave_out"), options.waveTol())));
            out.add(run("codec.random_decode", () -> compareWave("codec.random_decode", codec.decode(codes(t, "codec.random_codes")),
                    t.floats("codec.random_wave_out"), options.waveTol())));
            out.add(run("codec.stream_decode", () -> {
                int[][] c = codes(t, "codec.random_codes");
                StreamingDecoder s = new StreamingDecoder(codec, 4, codec.config().decoderContextFrames());
                float[] wave = new float[0];
                for (int f = 0; f < c[0].length; f++) {
                    int[] frame = new int[c.length];
                    for (int k = 0; k < c.length; k++) frame[k] = c[k][f];
                    wave = cat(wave, s.pushFrame(frame));
                }
                wave = cat(wave, s.finish());
                return compareWave("codec.stream_decode", wave, t.floats("codec.random_wave_out"), options.waveTol());
            }));
            for (String p : kit.promptNames()) {
                if (t.contains("prompt." + p + ".audio_input_ids")) out.add(run("codec.clips." + p, () -> checkPromptClips(kit, codec, p)));
            }
        }
        return out;
    }

    /**
     * Exports the kit's codec into {@code <work>/codec/} unless already there, and opens it. The manifest fragment
     * written last ({@code codec.json}) marks a complete export.
     */
    public static AudioCodec openKitCodec(Kit kit, ConformanceOptions options) {
        // one folder per alignment: the acoustic padding is part of the encoder graph
        Path dir = options.workDir().resolve("codec-" + options.reference().name().toLowerCase(java.util.Locale.ROOT));
        Path marker = dir.resolve("codec.json");
        try {
            CodecConfig config;
            if (Files.isRegularFile(marker)) {
                config = PackageManifest.GSON.fromJson(Files.readString(marker), CodecConfig.class);
            } else {
                config = CodecExporter.export(kit.codec(), dir, options.reference()).config();
                Files.writeString(marker, PackageManifest.GSON.toJson(config));
            }
            return AudioCodec.open(config, dir.resolve(CodecExporter.ENCODER_FILE), dir.resolve(CodecExporter.DECODER_FILE),
                    AudioCodec.Options.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes one golden clip ({@code prompt.<case>.audio<i>}, [1,1,N] at 24 kHz) → codes [Q][frames]. */
    public static int[][] encodeClip(AudioCodec codec, Kit kit, String tensorName) {
        return codec.encode(kit.tensors().floats(tensorName));
    }

    /**
     * Encodes every clip {@code prompt.<case>.audio0, audio1, …}, frames each as the prompt carries it (stream BOS,
     * codes, stream EOS, delay pattern) and compares the concatenation with the golden {@code audio_input_ids}
     * [1, F, Q] — equivalent to reverting the delay and stripping BOS/EOS of the golden ids, but checks the framing too.
     */
    public static CaseResult checkPromptClips(Kit kit, AudioCodec codec, String promptCase) {
        String name = "codec.clips." + promptCase;
        SafeTensorsFile t = kit.tensors();
        int q = codec.config().numCodebooks(), bos = codec.config().codebookSize(), eos = bos + 1;
        List<int[][]> framed = new ArrayList<>();
        int clips = 0, frames = 0;
        for (int i = 0; t.contains("prompt." + promptCase + ".audio" + i); i++) {
            int[][] c = encodeClip(codec, kit, "prompt." + promptCase + ".audio" + i);
            frames += c[0].length;
            framed.add(DelayPattern.promptFrames(c, bos, eos));
            clips++;
        }
        long[] shape = t.info("prompt." + promptCase + ".audio_input_ids").shape(); // [1, F, Q]
        long[] ids = t.longs("prompt." + promptCase + ".audio_input_ids");
        int f = (int) shape[1];
        int[][] want = new int[q][f];
        for (int i = 0; i < f; i++) for (int k = 0; k < q; k++) want[k][i] = (int) ids[i * q + k];
        int total = framed.stream().mapToInt(x -> x[0].length).sum();
        if (total != f) return CaseResult.fail(name, clips + " clips encode to " + total + " prompt frames, golden has " + f);
        int[][] got = new int[q][f];
        int at = 0;
        for (int[][] x : framed) {
            for (int k = 0; k < q; k++) System.arraycopy(x[k], 0, got[k], at, x[0].length);
            at += x[0].length;
        }
        CaseResult r = compareCodes(name, got, want);
        return r.passed() ? CaseResult.pass(name, clips + " clips, " + frames + " frames × " + q + " codebooks exact") : r;
    }

    // ---- comparisons ------------------------------------------------------------------------------------------------

    static int[][] codes(SafeTensorsFile t, String name) {
        long[] shape = t.info(name).shape(); // [1, Q, T]
        long[] v = t.longs(name);
        int q = (int) shape[1], n = (int) shape[2];
        int[][] c = new int[q][n];
        for (int k = 0; k < q; k++) for (int f = 0; f < n; f++) c[k][f] = (int) v[k * n + f];
        return c;
    }

    static CaseResult compareCodes(String name, int[][] got, int[][] want) {
        if (got.length != want.length || got[0].length != want[0].length) {
            return CaseResult.fail(name, "shape [" + got.length + "][" + got[0].length + "], golden [" + want.length + "][" + want[0].length + "]");
        }
        int diff = 0;
        String first = null;
        for (int k = 0; k < want.length; k++) {
            for (int f = 0; f < want[k].length; f++) {
                if (got[k][f] != want[k][f]) {
                    if (first == null) first = "codebook " + k + " frame " + f + ": " + got[k][f] + " vs golden " + want[k][f];
                    diff++;
                }
            }
        }
        int n = want.length * want[0].length;
        return diff == 0 ? CaseResult.pass(name, want[0].length + " frames × " + want.length + " codebooks exact")
                : CaseResult.fail(name, diff + " of " + n + " codes differ, first at " + first);
    }

    static CaseResult compareWave(String name, float[] got, float[] want, double tol) {
        if (got.length != want.length) return CaseResult.fail(name, got.length + " samples, golden " + want.length);
        double max = 0;
        for (int i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
        String d = String.format("%d samples, max |Δ| %.2e (tol %.0e)", got.length, max, tol);
        return max <= tol ? CaseResult.pass(name, d) : CaseResult.fail(name, d);
    }

    private static CaseResult run(String name, Supplier<CaseResult> c) {
        try {
            return c.get();
        } catch (RuntimeException e) {
            return CaseResult.fail(name, e.toString());
        }
    }

    private static float[] cat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
