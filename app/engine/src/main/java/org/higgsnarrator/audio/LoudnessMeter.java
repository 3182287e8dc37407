package org.higgsnarrator.audio;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Loudness and level measurement: ITU-R BS.1770-4 integrated loudness (K-weighting, 400 ms blocks with 75 % overlap,
 * absolute gate -70 LUFS, relative gate -10 LU), 4x-oversampled true peak, RMS, sample peak, ACX-style noise floor,
 * and where the sound starts and ends.
 */
public final class LoudnessMeter {
    private LoudnessMeter() {}

    public static Loudness measure(AudioClip clip) {
        return measure(clip, AudioOptions.DEFAULTS);
    }

    public static Loudness measure(AudioClip clip, AudioOptions o) {
        int[] sound = soundRange(clip, o);
        double programmeNoise = sound[1] > sound[0] ? backgroundDb(clip.slice(sound[0], sound[1]), o) : Double.NaN;
        return new Loudness(rmsDb(clip), peakDb(clip), truePeakDb(clip, o), integratedLufs(clip), noiseFloorDb(clip, o),
                programmeNoise, roomToneDb(clip, sound), sound[0] / (double) clip.sampleRate(),
                (clip.frames() - sound[1]) / (double) clip.sampleRate(), clip.seconds());
    }

    /** RMS (dB) of what lies before and after the sound range (the room tone); NaN when there is none. */
    static double roomToneDb(AudioClip clip, int[] sound) {
        int head = sound[1] > sound[0] ? sound[0] : clip.frames(), tailFrom = sound[1] > sound[0] ? sound[1] : clip.frames();
        int frames = head + clip.frames() - tailFrom;
        if (frames == 0) return Double.NaN;
        float[] s = clip.samples();
        int c = clip.channels();
        double sum = 0;
        for (int i = 0; i < head * c; i++) sum += (double) s[i] * s[i];
        for (int i = tailFrom * c; i < s.length; i++) sum += (double) s[i] * s[i];
        return 10 * Math.log10(sum / ((double) frames * c));
    }

    public static double toDb(double amplitude) {
        return 20 * Math.log10(amplitude);
    }

    public static double fromDb(double db) {
        return Math.pow(10, db / 20);
    }

    public static double rmsDb(AudioClip clip) {
        double sum = 0;
        for (float v : clip.samples()) sum += (double) v * v;
        return 10 * Math.log10(sum / Math.max(1, clip.samples().length));
    }

    public static double peakDb(AudioClip clip) {
        float max = 0;
        for (float v : clip.samples()) max = Math.max(max, Math.abs(v));
        return toDb(max);
    }

    /** Largest magnitude of the signal oversampled 4x with a band-limited interpolator, in dBTP. */
    public static double truePeakDb(AudioClip clip, AudioOptions o) {
        double max = 0;
        for (float[] ch : clip.planar()) {
            float[] env = truePeakEnvelope(ch, clip.sampleRate(), o);
            for (float v : env) max = Math.max(max, v);
        }
        return toDb(max);
    }

    /**
     * Per input sample n: the largest magnitude of the 4x oversampled signal in [n - 1/2, n + 1/2), never less than
     * |x[n]|. The limiter uses this so that peaks between samples are held down too.
     */
    static float[] truePeakEnvelope(float[] x, int rate, AudioOptions o) {
        // Upsampling by 4 keeps input samples on phase 0, so the envelope covers them exactly.
        Resampler up = new Resampler(rate, 4 * rate, o.truePeakZeroCrossings(), o.truePeakKaiserBeta(), o.truePeakCutoff());
        float[] env = new float[x.length];
        int block = 16384;
        IntStream.range(0, (x.length + block - 1) / block).parallel().forEach(b -> {
            int end = Math.min(x.length, (b + 1) * block);
            for (int n = b * block; n < end; n++) {
                double m = Math.abs(x[n]);
                for (int k = 4 * n - 2; k <= 4 * n + 1; k++) if (k >= 0 && k != 4 * n) m = Math.max(m, Math.abs(up.at(x, k)));
                env[n] = (float) m;
            }
        });
        return env;
    }

    /** ITU-R BS.1770-4 gated integrated loudness in LUFS (channel weights 1: mono and stereo). */
    public static double integratedLufs(AudioClip clip) {
        double[] blocks = blockEnergies(clip);
        double absGate = Math.pow(10, (-70 + 0.691) / 10);
        double sum = 0;
        int n = 0;
        for (double e : blocks) if (e > absGate) { sum += e; n++; }
        if (n == 0) return Double.NEGATIVE_INFINITY;
        double relGate = sum / n * Math.pow(10, -10 / 10.0);
        sum = 0;
        n = 0;
        for (double e : blocks) if (e > absGate && e > relGate) { sum += e; n++; }
        return -0.691 + 10 * Math.log10(sum / n);
    }

    /** Mean-square K-weighted energy (summed over channels) of every 400 ms block, stepped by 100 ms. */
    static double[] blockEnergies(AudioClip clip) {
        int rate = clip.sampleRate();
        int step = Math.round(rate * 0.1f), len = 4 * step;
        int frames = clip.frames();
        int nBlocks = frames < len ? 0 : (frames - len) / step + 1;
        // energy per 100 ms step, summed over channels; a block is 4 consecutive steps
        int nSteps = frames / step;
        double[] stepEnergy = new double[nSteps];
        for (float[] ch : clip.planar()) {
            double[] z = kWeight(ch, rate);
            for (int s = 0; s < nSteps; s++) {
                double e = 0;
                for (int i = s * step, end = i + step; i < end; i++) e += z[i] * z[i];
                stepEnergy[s] += e;
            }
        }
        double[] blocks = new double[nBlocks];
        for (int b = 0; b < nBlocks; b++)
            blocks[b] = (stepEnergy[b] + stepEnergy[b + 1] + stepEnergy[b + 2] + stepEnergy[b + 3]) / len;
        return blocks;
    }

    /**
     * The BS.1770 K-weighting (high-shelf "pre-filter" then RLB high-pass), derived for any sample rate from the
     * analogue prototype by the bilinear transform (constants as in libebur128, matching the 48 kHz table of the spec).
     */
    static double[] kWeight(float[] x, int rate) {
        double f0 = 1681.974450955533, gainDb = 3.999843853973347, q = 0.7071752369554196;
        double k = Math.tan(Math.PI * f0 / rate);
        double vh = Math.pow(10, gainDb / 20), vb = Math.pow(vh, 0.4996667741545416);
        double a0 = 1 + k / q + k * k;
        double[] b1 = {(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0};
        double[] a1 = {2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0};
        f0 = 38.13547087602444;
        q = 0.5003270373238773;
        k = Math.tan(Math.PI * f0 / rate);
        a0 = 1 + k / q + k * k;
        double[] b2 = {1, -2, 1};
        double[] a2 = {2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0};
        return biquad(biquad(toDouble(x), b1, a1), b2, a2);
    }

    private static double[] biquad(double[] x, double[] b, double[] a) {
        double[] y = new double[x.length];
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (int i = 0; i < x.length; i++) {
            double v = b[0] * x[i] + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2;
            x2 = x1;
            x1 = x[i];
            y2 = y1;
            y1 = v;
            y[i] = v;
        }
        return y;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    /** RMS (dB) of the quietest window of {@code noiseWindowSeconds}, windows stepped by a tenth of that. */
    public static double noiseFloorDb(AudioClip clip, AudioOptions o) {
        int win = Math.max(1, (int) Math.round(o.noiseWindowSeconds() * clip.sampleRate()));
        if (clip.frames() <= win) return rmsDb(clip);
        int hop = Math.max(1, win / 10);
        double[] frameEnergy = frameEnergies(clip, hop);
        int perWin = win / hop;
        double min = Double.MAX_VALUE, sum = 0;
        for (int i = 0; i < frameEnergy.length; i++) {
            sum += frameEnergy[i];
            if (i >= perWin) sum -= frameEnergy[i - perWin];
            if (i >= perWin - 1) min = Math.min(min, Math.max(0, sum));
        }
        return 10 * Math.log10(min / ((double) perWin * hop * clip.channels()));
    }

    /** Sum of squares of all channels in consecutive frames of {@code hop} samples (the last partial frame dropped). */
    private static double[] frameEnergies(AudioClip clip, int hop) {
        float[] s = clip.samples();
        int c = clip.channels();
        double[] e = new double[clip.frames() / hop];
        for (int f = 0; f < e.length; f++) {
            double sum = 0;
            for (int i = f * hop * c, end = i + hop * c; i < end; i++) sum += (double) s[i] * s[i];
            e[f] = sum;
        }
        return e;
    }

    /** RMS (dB) of consecutive {@code trimFrameSeconds} frames (all channels together). */
    public static double[] frameLevelsDb(AudioClip clip, AudioOptions o) {
        int hop = Math.max(1, (int) Math.round(o.trimFrameSeconds() * clip.sampleRate()));
        double[] e = frameEnergies(clip, hop);
        double[] db = new double[e.length];
        for (int i = 0; i < e.length; i++) db[i] = 10 * Math.log10(e[i] / ((double) hop * clip.channels()) + 1e-30);
        return db;
    }

    /**
     * The level of the background between words: the 10th percentile of the short-frame RMS (dB). Unlike
     * {@link #noiseFloorDb} it needs no half-second pause, so it also works on speech with only short gaps.
     */
    public static double backgroundDb(AudioClip clip, AudioOptions o) {
        double[] db = frameLevelsDb(clip, o);
        if (db.length == 0) return Double.NEGATIVE_INFINITY;
        Arrays.sort(db);
        return db[db.length / 10];
    }

    /**
     * The frames [start, end) between the first and the last detector frame that counts as sound: louder than
     * {@code trimFloorDb}, than the loudest frame minus {@code trimBelowPeakDb} and than the noise floor (10th
     * percentile frame) plus {@code trimAboveNoiseDb}. {@code {0, 0}} when nothing qualifies.
     */
    public static int[] soundRange(AudioClip clip, AudioOptions o) {
        double[] db = frameLevelsDb(clip, o);
        if (db.length == 0) return new int[] {0, 0};
        int hop = Math.max(1, (int) Math.round(o.trimFrameSeconds() * clip.sampleRate()));
        double threshold = soundThresholdDb(db, o);
        int first = -1, last = -1;
        for (int i = 0; i < db.length; i++) {
            if (db[i] > threshold) {
                if (first < 0) first = i;
                last = i;
            }
        }
        if (first < 0) return new int[] {0, 0};
        return new int[] {first * hop, Math.min(clip.frames(), (last + 1) * hop)};
    }

    /** The level (dB) above which a detector frame counts as sound; see {@link #soundRange}. */
    static double soundThresholdDb(double[] frameDb, AudioOptions o) {
        double[] sorted = frameDb.clone();
        Arrays.sort(sorted);
        double loudest = sorted[sorted.length - 1], noise = sorted[sorted.length / 10];
        return Math.max(o.trimFloorDb(), Math.max(loudest - o.trimBelowPeakDb(), noise + o.trimAboveNoiseDb()));
    }

    /**
     * The pauses inside the sound range (between its first and last sound frame) of at least {@code minSeconds}:
     * runs of detector frames at or below the sound threshold, as {@code {startSeconds, endSeconds}}.
     */
    public static java.util.List<double[]> pauses(AudioClip clip, AudioOptions o, double minSeconds) {
        double[] db = frameLevelsDb(clip, o);
        java.util.List<double[]> out = new java.util.ArrayList<>();
        if (db.length == 0) return out;
        double threshold = soundThresholdDb(db, o), frame = o.trimFrameSeconds();
        int hop = Math.max(1, (int) Math.round(frame * clip.sampleRate()));
        double secondsPerFrame = hop / (double) clip.sampleRate();
        int runStart = -1;
        boolean seenSound = false;
        for (int i = 0; i < db.length; i++) {
            if (db[i] > threshold) {
                if (seenSound && runStart >= 0 && (i - runStart) * secondsPerFrame >= minSeconds)
                    out.add(new double[] {runStart * secondsPerFrame, i * secondsPerFrame});
                seenSound = true;
                runStart = -1;
            } else if (runStart < 0) {
                runStart = i;
            }
        }
        return out;
    }

    /**
     * The active speech level: mean power (dB) of the detector frames above the sound threshold; -Infinity when
     * there are none. Unlike RMS it does not depend on how long the pauses are.
     */
    public static double activeLevelDb(AudioClip clip, AudioOptions o) {
        double[] db = frameLevelsDb(clip, o);
        if (db.length == 0) return Double.NEGATIVE_INFINITY;
        double threshold = soundThresholdDb(db, o), sum = 0;
        int n = 0;
        for (double v : db) if (v > threshold) { sum += Math.pow(10, v / 10); n++; }
        return n == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(sum / n);
    }

    /** Runs of at least {@code clipRunSamples} consecutive samples at or above {@code clipLevel}, counted in every channel. */
    public static int clippedSpots(AudioClip clip, AudioOptions o) {
        int spots = 0;
        for (int ch = 0; ch < clip.channels(); ch++) {
            int run = 0;
            for (float v : clip.channel(ch)) {
                if (Math.abs(v) >= o.clipLevel()) {
                    if (++run == o.clipRunSamples()) spots++;
                } else run = 0;
            }
        }
        return spots;
    }
}
