package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frequency response of the resampler: flat passband, attenuated stopband, no images, agreement with sox. */
class ResamplerTest {
    static final int OUT = 24_000;

    @ParameterizedTest(name = "{0} Hz -> 24 kHz: passband flat within 0.01 dB up to 0.9 x Nyquist")
    @ValueSource(ints = {8000, 16000, 22050, 44100, 48000, 96000})
    void passbandIsFlat(int inRate) {
        double nyq = Math.min(inRate, OUT) / 2.0;
        double worst = 0;
        for (double f : new double[] {50, 200, 1000, 3000, 0.5 * nyq, 0.8 * nyq, 0.9 * nyq}) {
            float[] y = new Resampler(inRate, OUT).process(TestAudio.sine(f, 0.5, 1.0, inRate));
            double gainDb = LoudnessMeter.toDb(TestAudio.amplitudeAt(y, OUT, f, OUT / 4, 3 * OUT / 4) / 0.5);
            worst = Math.max(worst, Math.abs(gainDb));
        }
        System.out.printf("resampler %d -> %d: worst passband deviation %.5f dB%n", inRate, OUT, worst);
        assertTrue(worst < 0.01, "passband deviation " + worst + " dB");
    }

    @ParameterizedTest(name = "{0} Hz -> 24 kHz: everything above 12 kHz attenuated by at least 100 dB")
    @ValueSource(ints = {44100, 48000, 96000})
    void stopbandIsAttenuated(int inRate) {
        double worst = -300;
        for (double f = 12_100; f < inRate / 2.0; f += 997) {
            float[] y = new Resampler(inRate, OUT).process(TestAudio.sine(f, 0.5, 1.0, inRate));
            double levelDb = TestAudio.rmsDb(y, OUT / 4, 3 * OUT / 4) - LoudnessMeter.toDb(0.5 / Math.sqrt(2));
            worst = Math.max(worst, levelDb);
        }
        System.out.printf("resampler %d -> %d: worst stopband level (>= 12.1 kHz) %.1f dB%n", inRate, OUT, worst);
        assertTrue(worst < -100, "stopband only " + worst + " dB down");
    }

    @ParameterizedTest(name = "24 kHz -> {0} Hz: images and noise at least 90 dB under a 1 kHz tone")
    @ValueSource(ints = {44100, 48000})
    void upsamplingMakesNoImages(int outRate) {
        float[] y = new Resampler(OUT, outRate).process(TestAudio.sine(1000, 0.5, 1.0, OUT));
        double residual = TestAudio.residualDb(y, outRate, 1000, outRate / 4, 3 * outRate / 4) - LoudnessMeter.toDb(0.5 / Math.sqrt(2));
        System.out.printf("resampler 24000 -> %d: residual after removing the tone %.1f dB%n", outRate, residual);
        assertTrue(residual < -90, "residual " + residual + " dB");
    }

    @Test
    void keepsTimeAlignmentAndLength() {
        float[] x = new float[48_000];
        x[24_000] = 1;                                       // impulse at 0.5 s
        float[] y = new Resampler(48_000, OUT).process(x);
        assertEquals(24_000, y.length);
        int argmax = 0;
        for (int i = 1; i < y.length; i++) if (Math.abs(y[i]) > Math.abs(y[argmax])) argmax = i;
        assertEquals(12_000, argmax, "impulse moved");
        assertEquals(44_100, new Resampler(OUT, 44_100).outputLength(OUT));
        assertEquals(2, new Resampler(3, 2).outputLength(3));
    }

    @Test
    void dcGainIsExactlyOne() {
        float[] x = new float[10_000];
        java.util.Arrays.fill(x, 0.25f);
        float[] y = new Resampler(44_100, OUT).process(x);
        for (int i = 200; i < y.length - 200; i++) assertEquals(0.25, y[i], 1e-6);
    }

    /** Our output and sox's "very high quality" rate converter agree on band-limited content. */
    @Test
    void agreesWithSox(@TempDir Path dir) throws Exception {
        TestAudio.assumeTool("sox");
        int in = 44_100;
        float[] x = new float[in * 2];
        double[] freqs = {110, 440, 1234, 3456, 7000, 9500};
        for (double f : freqs) {
            float[] s = TestAudio.sine(f, 0.12, 0.3, 2.0, in);
            for (int i = 0; i < x.length; i++) x[i] += s[i];
        }
        Path src = TestAudio.writeWav(dir.resolve("in.wav"), new AudioClip(x, in), 32);
        Path soxOut = dir.resolve("sox.wav");
        TestAudio.run("sox", src.toString(), "-e", "floating-point", "-b", "32", soxOut.toString(), "rate", "-v", String.valueOf(OUT));
        float[] theirs = AudioReader.read(soxOut).samples();
        float[] ours = new Resampler(in, OUT).process(x);
        assertEquals(ours.length, theirs.length, 1);
        double diff = 0, sig = 0;
        for (int i = OUT / 10; i < Math.min(ours.length, theirs.length) - OUT / 10; i++) {
            diff += Math.pow(ours[i] - theirs[i], 2);
            sig += (double) ours[i] * ours[i];
        }
        double relDb = 10 * Math.log10(diff / sig);
        System.out.printf("resampler vs sox rate -v (44.1k -> 24k, tones to 9.5 kHz): difference %.1f dB below signal%n", -relDb);
        assertTrue(relDb < -90, "differs from sox by " + relDb + " dB");
    }

    @Test
    void agreesWithFfmpegSoxr(@TempDir Path dir) throws Exception {
        TestAudio.assumeTool("ffmpeg");
        int in = 48_000;
        float[] x = TestAudio.speechLike(2.0, in, 3);
        Path src = TestAudio.writeWav(dir.resolve("in.wav"), new AudioClip(x, in), 32);
        Path out = dir.resolve("ff.wav");
        // swr's default filter is short; ask for a long one so the comparison tests us, not ffmpeg's default
        TestAudio.run("ffmpeg", "-v", "error", "-nostdin", "-i", src.toString(), "-af", "aresample=" + OUT + ":filter_size=128:cutoff=0.95",
                "-c:a", "pcm_f32le", out.toString());
        float[] theirs = AudioReader.read(out).samples();
        float[] ours = new Resampler(in, OUT).process(x);
        double diff = 0, sig = 0;
        for (int i = OUT / 10; i < Math.min(ours.length, theirs.length) - OUT / 10; i++) {
            diff += Math.pow(ours[i] - theirs[i], 2);
            sig += (double) ours[i] * ours[i];
        }
        double relDb = 10 * Math.log10(diff / sig);
        System.out.printf("resampler vs ffmpeg aresample (filter_size=128, 48k -> 24k, speech-like): difference %.1f dB below signal%n", -relDb);
        assertTrue(relDb < -60, "differs from ffmpeg by " + relDb + " dB");
        assertTrue(Files.size(out) > 0);
    }
}
