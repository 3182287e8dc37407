package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Test signals, files and access to the external tools (ffmpeg, sox, flac, espeak-ng) that tests compare against. */
final class TestAudio {
    private TestAudio() {}

    static float[] sine(double freq, double amplitude, double seconds, int rate) {
        return sine(freq, amplitude, 0, seconds, rate);
    }

    static float[] sine(double freq, double amplitude, double phase, double seconds, int rate) {
        float[] s = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < s.length; i++) s[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate + phase));
        return s;
    }

    /** Raised-cosine fade-in and fade-out over {@code n} samples each (in place; returns x). */
    static float[] faded(float[] x, int n) {
        for (int i = 0; i < n && i < x.length; i++) {
            float g = (float) (0.5 - 0.5 * Math.cos(Math.PI * i / n));
            x[i] *= g;
            x[x.length - 1 - i] *= g;
        }
        return x;
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static float[] noise(double rmsDb, double seconds, int rate, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double a = LoudnessMeter.fromDb(rmsDb) * Math.sqrt(3);
        float[] s = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < s.length; i++) s[i] = (float) (a * (2 * r.nextDouble() - 1));
        return s;
    }

    /**
     * A speech-like test signal: syllable-rate (4 Hz) amplitude bursts of a harmonic tone with a wandering pitch plus
     * some noise, separated by short pauses, with a long pause in the middle. Peak-to-RMS ratio is like speech (~15 dB).
     */
    static float[] speechLike(double seconds, int rate, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[(int) Math.round(seconds * rate)];
        double phase = 0;
        for (int i = 0; i < s.length; i++) {
            double t = i / (double) rate;
            double f0 = 120 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / rate;
            double env = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
            env = env * env * env;
            if (t > seconds * 0.45 && t < seconds * 0.45 + 0.6) env = 0;   // a sentence pause
            double v = 0;
            for (int h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
            s[i] = (float) (0.25 * env * (v + 0.1 * (2 * r.nextDouble() - 1)));
        }
        return s;
    }

    /** Amplitude of the {@code freq} component over [from, to), by least-squares fit of sin and cos. */
    static double amplitudeAt(float[] x, int rate, double freq, int from, int to) {
        double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * freq * i / rate, si = Math.sin(w), co = Math.cos(w);
            ss += si * si; cc += co * co; sc += si * co; xs += x[i] * si; xc += x[i] * co;
        }
        double det = ss * cc - sc * sc;
        double a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
        return Math.hypot(a, b);
    }

    /** RMS (dB) of what is left after removing the best-fitting {@code freq} sinusoid over [from, to). */
    static double residualDb(float[] x, int rate, double freq, int from, int to) {
        double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * freq * i / rate, si = Math.sin(w), co = Math.cos(w);
            ss += si * si; cc += co * co; sc += si * co; xs += x[i] * si; xc += x[i] * co;
        }
        double det = ss * cc - sc * sc;
        double a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
        double e = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * freq * i / rate;
            double d = x[i] - a * Math.sin(w) - b * Math.cos(w);
            e += d * d;
        }
        return 10 * Math.log10(e / (to - from));
    }

    static double rmsDb(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) e += (double) x[i] * x[i];
        return 10 * Math.log10(e / (to - from));
    }

    static Path writeWav(Path file, AudioClip clip, int bits) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            WavCodec.write(clip, bits, out);
        }
        return file;
    }

    // --- external tools -------------------------------------------------------------------------------------------

    static boolean has(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    static void assumeTool(String tool) {
        assumeTrue(has(tool), tool + " is not installed: this comparison is skipped (Debian: apt-get install -y ffmpeg sox flac espeak-ng)");
    }

    /** Runs a command, fails on non-zero exit; returns stdout+stderr. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timeout: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + out);
        return out;
    }

    /** ffmpeg's ebur128 summary: {integrated LUFS, true peak dBTP}. */
    static double[] ffmpegEbur128(Path file) throws IOException, InterruptedException {
        String log = run("ffmpeg", "-hide_banner", "-nostats", "-nostdin", "-i", file.toString(), "-af", "ebur128=peak=true", "-f", "null", "-");
        String summary = log.substring(log.lastIndexOf("Summary:"));
        double i = Double.parseDouble(summary.replaceAll("(?s).*\\bI:\\s+(-?[0-9.]+|-inf) LUFS.*", "$1").replace("-inf", "-Infinity"));
        double tp = Double.parseDouble(summary.replaceAll("(?s).*True peak:\\s+Peak:\\s+(-?[0-9.]+|-inf) dBFS.*", "$1").replace("-inf", "-Infinity"));
        return new double[] {i, tp};
    }

    static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }
}
