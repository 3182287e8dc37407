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
        return gatedLufs(blockEnergies(clip));
    }

    /** The BS.1770 two-stage gate (absolute -70 LUFS, relative -10 LU) over the 400 ms blocks' energies. */
    private static double gatedLufs(double[] blocks) {
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
        double[] stepEnergy = stepEnergies(clip);
        return blocks(stepEnergy, stepEnergy.length, 4 * Math.round(clip.sampleRate() * 0.1f));
    }

    /**
     * EBU Tech 3342 loudness range (LU): the spread between the 10th and the 95th percentile of the short-term
     * loudness (3 s windows stepped by 100 ms) over the windows above -70 LUFS and above 20 LU under their power mean;
     * 0 when no window qualifies.
     */
    public static double loudnessRangeLu(AudioClip clip) {
        double[] stepEnergy = stepEnergies(clip);
        return loudnessRange(stepEnergy, stepEnergy.length, Math.round(clip.sampleRate() * 0.1f));
    }

    private static double loudnessRange(double[] stepEnergy, int nSteps, int step) {
        int per = 30, n = Math.max(0, nSteps - per + 1);
        double[] e = new double[n];
        for (int b = 0; b < n; b++) {
            double sum = 0;
            for (int i = b; i < b + per; i++) sum += stepEnergy[i];
            e[b] = sum / ((double) per * step);
        }
        double absGate = Math.pow(10, (-70 + 0.691) / 10), sum = 0;
        int kept = 0;
        for (double v : e) if (v > absGate) { sum += v; kept++; }
        if (kept == 0) return 0;
        double relGate = sum / kept * Math.pow(10, -20 / 10.0);
        double[] lufs = java.util.Arrays.stream(e).filter(v -> v > absGate && v > relGate).map(v -> -0.691 + 10 * Math.log10(v)).sorted().toArray();
        if (lufs.length == 0) return 0;
        return lufs[(int) Math.round(0.95 * (lufs.length - 1))] - lufs[(int) Math.round(0.10 * (lufs.length - 1))];
    }

    /** K-weighted energy (summed over channels) of every complete 100 ms step. */
    private static double[] stepEnergies(AudioClip clip) {
        int rate = clip.sampleRate();
        int step = Math.round(rate * 0.1f);
        int frames = clip.frames();
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
        return stepEnergy;
    }

    /** The 400 ms blocks (4 consecutive 100 ms steps of {@code len / 4} frames) of the first {@code nSteps} steps. */
    private static double[] blocks(double[] stepEnergy, int nSteps, int len) {
        int nBlocks = Math.max(0, nSteps - 3);
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
        double[][] c = kWeightCoefficients(rate);
        return biquad(biquad(toDouble(x), c[0], c[1]), c[2], c[3]);
    }

    /** {b, a} of the pre-filter, then {b, a} of the RLB high-pass (a without its leading 1). */
    private static double[][] kWeightCoefficients(int rate) {
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
        return new double[][] {b1, a1, b2, a2};
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
        return levelsDb(frameEnergies(clip, hop), hop, clip.channels());
    }

    private static double[] levelsDb(double[] e, int hop, int channels) {
        double[] db = new double[e.length];
        for (int i = 0; i < e.length; i++) db[i] = 10 * Math.log10(e[i] / ((double) hop * channels) + 1e-30);
        return db;
    }

    /**
     * The level of the background between words: the 10th percentile of the short-frame RMS (dB). Unlike
     * {@link #noiseFloorDb} it needs no half-second pause, so it also works on speech with only short gaps.
     */
    public static double backgroundDb(AudioClip clip, AudioOptions o) {
        return backgroundDb(frameLevelsDb(clip, o));
    }

    private static double backgroundDb(double[] db) {
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
        return soundRange(frameLevelsDb(clip, o), Math.max(1, (int) Math.round(o.trimFrameSeconds() * clip.sampleRate())), clip.frames(), o);
    }

    /** {@link #soundRange(AudioClip, AudioOptions)} from the detector frames' levels ({@code hop} frames each). */
    static int[] soundRange(double[] db, int hop, long frames, AudioOptions o) {
        if (db.length == 0) return new int[] {0, 0};
        double threshold = soundThresholdDb(db, o);
        int first = -1, last = -1;
        for (int i = 0; i < db.length; i++) {
            if (db[i] > threshold) {
                if (first < 0) first = i;
                last = i;
            }
        }
        if (first < 0) return new int[] {0, 0};
        return new int[] {first * hop, (int) Math.min(frames, (long) (last + 1) * hop)};
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

    /**
     * {@link #measure(AudioClip, AudioOptions)} of audio that arrives in pieces and is never held whole (a book's
     * export): the same numbers (to rounding of sums taken in another order, far below 1e-9 dB) from what every
     * measurement needs per block — K-weighted 100 ms step energies (BS.1770's 400 ms gating blocks are 4 steps),
     * the level detector's 10 ms frame energies, the noise floor's sliding window and a running true peak over the
     * oversampling filter's reach. Memory: a few doubles per 10 ms of audio (≈ 30 MB for 10 hours), not the signal.
     */
    public static final class Stream implements Resampler.Sink {
        private final AudioOptions o;
        private final int rate, channels;
        private long samples;                   // interleaved samples seen
        private double sumSq;
        private float peak;
        // level detector frames (trimFrameSeconds) and the partial frame after the last complete one
        private final int trimHop;
        private final DoubleList trim = new DoubleList();
        private double trimAcc;
        private int trimCount;
        // noise floor: frames of hop samples, a window of perWin frames
        private final int noiseWin, noiseHop, perWin;
        private final double[] ring;
        private long noiseFrames;
        private double noiseAcc, noiseSum, noiseMin = Double.MAX_VALUE;
        private int noiseCount;
        // BS.1770: per channel K-weighting state, 100 ms steps
        private final double[][] k;
        private final double[][] state;         // per channel x1, x2, y1, y2 of stage 1, then of stage 2
        private final double[] stepAcc;
        private final int step;
        private int stepCount;
        private final DoubleList steps = new DoubleList();
        // true peak, per channel
        private final TruePeak[] tp;
        private int nextChannel;

        public Stream(int sampleRate, int channels, AudioOptions o) {
            if (channels < 1) throw new IllegalArgumentException("channels must be at least 1, got " + channels);
            this.o = o;
            this.rate = sampleRate;
            this.channels = channels;
            this.trimHop = Math.max(1, (int) Math.round(o.trimFrameSeconds() * sampleRate));
            this.noiseWin = Math.max(1, (int) Math.round(o.noiseWindowSeconds() * sampleRate));
            this.noiseHop = Math.max(1, noiseWin / 10);
            this.perWin = noiseWin / noiseHop;
            this.ring = new double[perWin];
            this.k = kWeightCoefficients(sampleRate);
            this.state = new double[channels][8];
            this.stepAcc = new double[channels];
            this.step = Math.round(sampleRate * 0.1f);
            this.tp = new TruePeak[channels];
            Resampler up = new Resampler(sampleRate, 4 * sampleRate, o.truePeakZeroCrossings(), o.truePeakKaiserBeta(), o.truePeakCutoff());
            for (int c = 0; c < channels; c++) tp[c] = new TruePeak(up);
        }

        /** Interleaved samples, in pieces of any size. */
        @Override
        public void accept(float[] s, int len) {
            accept(s, 0, len);
        }

        public void accept(float[] s, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) {
                float v = s[i];
                double sq = (double) v * v;
                sumSq += sq;
                peak = Math.max(peak, Math.abs(v));
                trimAcc += sq;
                if (++trimCount == trimHop * channels) {
                    trim.add(trimAcc);
                    trimAcc = 0;
                    trimCount = 0;
                }
                noiseAcc += sq;
                if (++noiseCount == noiseHop * channels) noiseFrame();
                int c = nextChannel;
                double[] st = state[c];
                double x = v;
                double y1 = k[0][0] * x + k[0][1] * st[0] + k[0][2] * st[1] - k[1][0] * st[2] - k[1][1] * st[3];
                st[1] = st[0];
                st[0] = x;
                st[3] = st[2];
                st[2] = y1;
                double z = k[2][0] * y1 + k[2][1] * st[4] + k[2][2] * st[5] - k[3][0] * st[6] - k[3][1] * st[7];
                st[5] = st[4];
                st[4] = y1;
                st[7] = st[6];
                st[6] = z;
                stepAcc[c] += z * z;
                tp[c].push(v);
                if (++nextChannel == channels) {
                    nextChannel = 0;
                    if (++stepCount == step) {
                        double e = 0;
                        for (int ch = 0; ch < channels; ch++) {
                            e += stepAcc[ch];
                            stepAcc[ch] = 0;
                        }
                        steps.add(e);
                        stepCount = 0;
                    }
                }
            }
            samples += len;
        }

        private void noiseFrame() {
            double e = noiseAcc;
            long i = noiseFrames++;
            noiseSum += e;
            if (i >= perWin) noiseSum -= ring[(int) (i % perWin)];
            ring[(int) (i % perWin)] = e;
            if (i >= perWin - 1) noiseMin = Math.min(noiseMin, Math.max(0, noiseSum));
            noiseAcc = 0;
            noiseCount = 0;
        }

        /** {@link #loudnessRangeLu(AudioClip)} of everything seen so far. */
        public double loudnessRangeLu() {
            return loudnessRange(steps.values, steps.size, step);
        }

        /** Frames (samples per channel) seen so far. */
        public long frames() {
            return samples / channels;
        }

        /** The measurements of everything seen so far, as {@link #measure(AudioClip, AudioOptions)} gives them. */
        public Loudness result() {
            long frames = frames();
            double rms = 10 * Math.log10(sumSq / Math.max(1, samples));
            double truePeak = 0;
            for (TruePeak t : tp) truePeak = Math.max(truePeak, t.finish());
            double lufs = gatedLufs(blocks(steps.values, steps.size, 4 * step));
            double noise = frames <= noiseWin ? rms : 10 * Math.log10(noiseMin / ((double) perWin * noiseHop * channels));
            double[] db = levelsDb(trim.toArray(), trimHop, channels);
            int[] sound = soundRange(db, trimHop, frames, o);
            boolean any = sound[1] > sound[0];
            double programme = any ? backgroundDb(Arrays.copyOfRange(db, sound[0] / trimHop, sound[1] / trimHop)) : Double.NaN;
            double room = Double.NaN;
            long head = any ? sound[0] : frames, tailFrom = any ? sound[1] : frames;
            long roomFrames = head + frames - tailFrom;
            if (roomFrames > 0) {
                double sum = 0;
                for (int i = 0; i < head / trimHop; i++) sum += trim.values[i];
                if (any) for (int i = (int) (tailFrom / trimHop); i < trim.size; i++) sum += trim.values[i];
                sum += trimAcc;  // the partial frame at the end, always outside the sound range
                room = 10 * Math.log10(sum / ((double) roomFrames * channels));
            }
            return new Loudness(rms, toDb(peak), toDb(truePeak), lufs, noise, programme, room, sound[0] / (double) rate,
                    (frames - sound[1]) / (double) rate, frames / (double) rate);
        }
    }

    /**
     * {@link #truePeakEnvelope}'s maximum over one channel arriving sample by sample: holds the samples within the
     * oversampling filter's reach of the next envelope sample, nothing more.
     */
    private static final class TruePeak {
        private final Resampler up;
        private final int reach;
        private float[] buf;
        private long base;      // input index of buf[0]
        private int have;
        private long next;      // the next input sample whose envelope is due
        private double max;

        TruePeak(Resampler up) {
            this.up = up;
            this.reach = up.reach();
            this.buf = new float[Math.max(8192, 4 * reach + 16)];
        }

        void push(float v) {
            if (have == buf.length) {
                envelope(base + have - reach, Long.MAX_VALUE); // every sample with its whole reach present
                int drop = (int) (Math.max(base, next - reach) - base);
                System.arraycopy(buf, drop, buf, 0, have - drop);
                have -= drop;
                base += drop;
            }
            buf[have++] = v;
        }

        /** Envelope samples [next, until) of a signal of {@code total} samples. */
        private void envelope(long until, long total) {
            for (long n = next; n < until; n++) {
                double m = Math.abs(buf[(int) (n - base)]);
                for (long kk = 4 * n - 2; kk <= 4 * n + 1; kk++)
                    if (kk >= 0 && kk != 4 * n) m = Math.max(m, Math.abs(up.at(buf, base, total, kk)));
                max = Math.max(max, (float) m);
            }
            next = Math.max(next, until);
        }

        /** The peak so far, the last samples taken as the signal's end (more may still be pushed). */
        double finish() {
            long n0 = next;
            double m0 = max;
            envelope(base + have, base + have);
            double peakSoFar = max;
            next = n0;
            max = m0;
            return peakSoFar;
        }
    }

    /** A growable array of doubles. */
    private static final class DoubleList {
        double[] values = new double[1024];
        int size;

        void add(double v) {
            if (size == values.length) values = Arrays.copyOf(values, 2 * size);
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
