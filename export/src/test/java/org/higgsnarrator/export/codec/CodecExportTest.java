package org.higgsnarrator.export.codec;

import org.higgsnarrator.config.ReferencePipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.codec.CodecException;
import org.higgsnarrator.codec.StreamingDecoder;
import org.higgsnarrator.config.CodecConfig;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports the kit's tiny codec (transformers layout) once and checks both graphs against the golden tensors. */
class CodecExportTest {
    static final double WAVE_TOL = 1e-4;

    @TempDir
    static Path out;
    static Path kit;
    static SafeTensorsFile golden;
    static CodecExporter.Result result;
    static AudioCodec codec;

    @BeforeAll
    static void export() {
        kit = Path.of(System.getProperty("narrator.kit.root", "../shared/conformance")).resolve("tiny");
        golden = SafeTensorsFile.open(kit.resolve("golden/tensors.safetensors"));
        // the goldens come from transformers: its acoustic padding (hop/2), not the release's (see ReferencePipeline)
        result = CodecExporter.export(kit.resolve("codec-hf"), out, ReferencePipeline.TRANSFORMERS);
        codec = AudioCodec.open(result.config(), out.resolve(CodecExporter.ENCODER_FILE), out.resolve(CodecExporter.DECODER_FILE),
                new AudioCodec.Options(2));
    }

    @AfterAll
    static void close() {
        if (codec != null) codec.close();
        if (golden != null) golden.close();
    }

    static int[][] codes(String name) {
        return codes0(golden, name);
    }

    static int[][] codes0(SafeTensorsFile golden, String name) {
        long[] shape = golden.info(name).shape(); // [1, Q, T]
        long[] v = golden.longs(name);
        int q = (int) shape[1], t = (int) shape[2];
        int[][] c = new int[q][t];
        for (int k = 0; k < q; k++) for (int f = 0; f < t; f++) c[k][f] = (int) v[k * t + f];
        return c;
    }

    static double maxAbs(float[] a, float[] b) {
        assertEquals(b.length, a.length, "length");
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void configMatchesKit() {
        CodecConfig c = result.config();
        assertEquals(24000, c.sampleRate());
        assertEquals(960, c.hopLength());
        assertEquals(8, c.numCodebooks());
        assertEquals(1024, c.codebookSize());
        assertEquals(16000, c.semanticSampleRate());
        assertTrue(Files.isRegularFile(out.resolve("codec_decoder.onnx.data")));
        assertEquals(2, result.graphs().size());
    }

    @Test
    void decodeMatchesGolden() {
        float[] wave = codec.decode(codes("codec.codes"));
        double err = maxAbs(wave, golden.floats("codec.wave_out"));
        assertTrue(err <= WAVE_TOL, "max |Δ| " + err);
    }

    @Test
    void randomDecodeMatchesGolden() {
        float[] wave = codec.decode(codes("codec.random_codes"));
        double err = maxAbs(wave, golden.floats("codec.random_wave_out"));
        assertTrue(err <= WAVE_TOL, "max |Δ| " + err);
    }

    @Test
    void encodeMatchesGoldenExactly() {
        int[][] got = codec.encode(golden.floats("codec.wave_in"));
        int[][] want = codes("codec.codes");
        assertEquals(want.length, got.length);
        for (int k = 0; k < want.length; k++) assertArrayEquals(want[k], got[k], "codebook " + k);
    }

    @Test
    void streamingEqualsFullDecode() {
        int[][] c = codes("codec.random_codes");
        float[] full = codec.decode(c);
        for (int chunk : new int[] {1, 4, 7, 25}) {
            StreamingDecoder s = chunk == 25 ? new StreamingDecoder(codec) : new StreamingDecoder(codec, 2, chunk, codec.config().decoderContextFrames());
            float[] streamed = new float[0];
            int frames = c[0].length;
            for (int f = 0; f < frames; f += 3) { // frames arrive 3 at a time
                int n = Math.min(3, frames - f);
                int[][] part = new int[c.length][];
                for (int k = 0; k < c.length; k++) part[k] = Arrays.copyOfRange(c[k], f, f + n);
                streamed = cat(streamed, s.push(part));
            }
            streamed = cat(streamed, s.finish());
            double err = maxAbs(streamed, full);
            assertTrue(err <= WAVE_TOL, "chunk " + chunk + ": max |Δ| " + err);
        }
    }

    @Test
    void longDecodeIsChunkedWithTheSameResult() {
        int[][] c = codes("codec.random_codes");
        try (AudioCodec small = AudioCodec.open(result.config(), null, out.resolve(CodecExporter.DECODER_FILE), new AudioCodec.Options(2, 7, 1.0))) {
            double err = maxAbs(small.decode(c), codec.decode(c));
            assertTrue(err <= WAVE_TOL, "max |Δ| " + err);
        }
    }

    @Test
    void streamingWithTooLittleContextDiffers() {
        // proves the test above can fail: without context the chunk edges are wrong
        int[][] c = codes("codec.random_codes");
        float[] full = codec.decode(c);
        StreamingDecoder s = new StreamingDecoder(codec, 4, 0);
        float[] streamed = cat(s.push(c), s.finish());
        assertTrue(maxAbs(streamed, full) > WAVE_TOL);
    }

    @Test
    void receptiveFieldOfReleasedDecoder() {
        assertEquals(CodecConfig.RELEASED_DECODER_CONTEXT_FRAMES, CodecGraphs.decoderContextFrames(new int[] {8, 5, 4, 2, 3}));
    }

    @Test
    void badInputIsRejectedClearly() {
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(new float[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(CodecException.class, () -> codec.encode(new float[500]));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        e = assertThrows(CodecException.class, () -> codec.encode(new float[48000], 44100, 1));
        assertTrue(e.getMessage().contains("resample"), e.getMessage());
        e = assertThrows(CodecException.class, () -> codec.encode(new float[48000], 24000, 2));
        assertTrue(e.getMessage().contains("mono"), e.getMessage());
        try (AudioCodec limited = AudioCodec.open(result.config(), out.resolve(CodecExporter.ENCODER_FILE), out.resolve(CodecExporter.DECODER_FILE),
                new AudioCodec.Options(1, 750, 0.5))) {
            e = assertThrows(CodecException.class, () -> limited.encode(new float[24000]));
            assertTrue(e.getMessage().contains("too long"), e.getMessage());
        }
        float[] nan = new float[2000];
        nan[1234] = Float.NaN;
        e = assertThrows(CodecException.class, () -> codec.encode(nan, 24000, 1));
        assertTrue(e.getMessage().contains("sample 1234"), e.getMessage());
        e = assertThrows(CodecException.class, () -> codec.decode(new int[8][0]));
        assertTrue(e.getMessage().contains("zero frames"), e.getMessage());
        int[][] bad = new int[8][2];
        bad[3][1] = 1025;
        e = assertThrows(CodecException.class, () -> codec.decode(bad));
        assertTrue(e.getMessage().contains("1025"), e.getMessage());
        e = assertThrows(CodecException.class, () -> codec.decode(new int[3][2]));
        assertTrue(e.getMessage().contains("[8][frames]"), e.getMessage());
    }

    @Test
    void shortestClipEncodesToOneFrame() {
        float[] w = new float[codec.minEncodeSamples()];
        for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i * 0.05) * 0.3f;
        int[][] c = codec.encode(w);
        assertEquals(1, c[0].length);
    }

    static float[] cat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
