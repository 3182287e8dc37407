package org.higgsnarrator.audio;

import java.util.stream.IntStream;

/**
 * Band-limited sample-rate conversion by an exact rational ratio L/M with a polyphase Kaiser-windowed sinc.
 *
 * <p>Output frame k sits at input time t = k·M/L. With t = q + p/L, the output is
 * {@code y[k] = Σ_i phase[p][i] · x[q - H + 1 + i]}: one precomputed phase of the windowed sinc per fractional
 * offset, so there is no interpolation error and no drift. The sinc cutoff is {@code cutoff} times the lower of
 * the two Nyquist frequencies (anti-aliasing when going down, anti-imaging when going up). Each phase is
 * normalised to unit DC gain. The filter is linear phase and centred, so output and input stay time-aligned.
 * It works on whole signals (offline); samples before the start and after the end are zero.
 */
public final class Resampler {
    private final int up, down;       // L, M (reduced)
    private final int half;           // H: taps on each side of t
    private final float[][] phases;   // [L][2H]

    private final double fc, beta, halfLength;

    /** Converter from {@code inRate} to {@code outRate} with the default quality of {@link AudioOptions}. */
    public Resampler(int inRate, int outRate) {
        this(inRate, outRate, AudioOptions.DEFAULTS.resampleZeroCrossings(), AudioOptions.DEFAULTS.resampleKaiserBeta(),
                AudioOptions.DEFAULTS.resampleCutoff());
    }

    /**
     * @param zeroCrossings half-width of the windowed sinc in zero crossings of the cutoff sinc
     * @param beta          Kaiser β
     * @param cutoff        cutoff as a fraction of min(inRate, outRate)/2
     */
    public Resampler(int inRate, int outRate, int zeroCrossings, double beta, double cutoff) {
        if (inRate <= 0 || outRate <= 0) throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        this.fc = Math.min(1.0, (double) up / down) * cutoff;       // cycles per input sample ×2 (1 = input Nyquist)
        this.beta = beta;
        this.halfLength = zeroCrossings / fc;                         // in input samples
        this.half = (int) Math.ceil(halfLength);
        this.phases = new float[up][];
        IntStream.range(0, up).parallel().forEach(p -> phases[p] = buildPhase(p));
    }

    public static AudioClip resample(AudioClip clip, int outRate) {
        if (clip.sampleRate() == outRate) return clip;
        Resampler r = new Resampler(clip.sampleRate(), outRate);
        float[][] p = clip.planar();
        for (int ch = 0; ch < p.length; ch++) p[ch] = r.process(p[ch]);
        return AudioClip.ofChannels(p, outRate);
    }

    /** Number of output samples for {@code n} input samples: ceil(n·L/M). */
    public long outputLength(long n) {
        return (n * up + down - 1) / down;
    }

    public float[] process(float[] x) {
        int outLen = Math.toIntExact(outputLength(x.length));
        float[] y = new float[outLen];
        int block = 8192;
        IntStream.range(0, (outLen + block - 1) / block).parallel().forEach(b -> {
            int end = Math.min(outLen, (b + 1) * block);
            for (int k = b * block; k < end; k++) y[k] = (float) sample(x, k);
        });
        return y;
    }

    /** Takes output samples block by block. */
    public interface Sink {
        void accept(float[] samples, int len) throws java.io.IOException;
    }

    /**
     * Resamples the {@code n} samples of {@code in} into {@code out} block by block, holding one input window and the
     * filter's reach: the same samples, bit for bit, as {@link #process(float[])} on the whole signal, in constant
     * memory whatever the length (a book's float file).
     */
    public void process(FloatReader in, long n, Sink out) throws java.io.IOException {
        float[] y = new float[8192];
        int ny = 0;
        float[] buf = new float[Math.max(1 << 16, 4 * half + 16)];
        long base = 0;          // input index of buf[0]
        int have = 0;           // samples held in buf
        long outLen = outputLength(n);
        for (long k = 0; k < outLen; k++) {
            long km = k * down;
            long q = km / up;
            float[] h = phases[(int) (km % up)];
            long j0 = q - half + 1;
            long need = Math.min(n, q + half + 1); // exclusive end of the input this output reads
            while (base + have < need) {
                long keepFrom = Math.max(base, j0); // what no later output reads (q only grows) is dropped
                int drop = (int) (keepFrom - base);
                if (drop > 0) {
                    System.arraycopy(buf, drop, buf, 0, have - drop);
                    have -= drop;
                    base = keepFrom;
                }
                int r = in.read(buf, have, (int) Math.min(buf.length - have, n - (base + have)));
                if (r < 0) throw new java.io.EOFException("the audio ended at sample " + (base + have) + " of " + n);
                have += r;
            }
            int iFrom = (int) Math.max(0, -j0), iTo = (int) Math.min(h.length, n - j0);
            double acc = 0;
            for (int i = iFrom; i < iTo; i++) acc += h[i] * buf[(int) (j0 + i - base)];
            y[ny++] = (float) acc;
            if (ny == y.length) {
                out.accept(y, ny);
                ny = 0;
            }
        }
        if (ny > 0) out.accept(y, ny);
    }

    /** Output sample {@code k} alone, for callers that scan the output without storing it (true peak). */
    public double at(float[] x, long k) {
        return sample(x, k);
    }

    /**
     * Output sample {@code k} of a signal of {@code total} samples of which {@code buf} holds those from input index
     * {@code base} on (it must hold every input sample the output reads): the same arithmetic as {@link #at(float[], long)}
     * on the whole signal, for streaming callers (the streaming true-peak meter).
     */
    double at(float[] buf, long base, long total, long k) {
        long km = k * down;
        long q = km / up;
        float[] h = phases[(int) (km % up)];
        long j0 = q - half + 1;
        int iFrom = (int) Math.max(0, -j0), iTo = (int) Math.min(h.length, total - j0);
        double acc = 0;
        for (int i = iFrom; i < iTo; i++) acc += h[i] * buf[(int) (j0 + i - base)];
        return acc;
    }

    /** How many input samples on each side of an output instant the filter reads. */
    int reach() {
        return half;
    }

    private double sample(float[] x, long k) {
        long km = k * down;
        int q = (int) (km / up), p = (int) (km % up);
        float[] h = phases[p];
        int j0 = q - half + 1;
        int iFrom = Math.max(0, -j0), iTo = Math.min(h.length, x.length - j0);
        double acc = 0;
        for (int i = iFrom; i < iTo; i++) acc += h[i] * x[j0 + i];
        return acc;
    }

    private float[] buildPhase(int p) {
        double[] d = new double[2 * half];
        double sum = 0;
        for (int i = 0; i < d.length; i++) {
            double t = (double) p / up + (half - 1 - i);              // distance from the output instant
            d[i] = kernel(t);
            sum += d[i];
        }
        float[] h = new float[d.length];
        for (int i = 0; i < d.length; i++) h[i] = (float) (d[i] / sum);
        return h;
    }

    private double kernel(double t) {
        double r = t / halfLength;
        if (Math.abs(r) >= 1) return 0;
        double x = fc * t;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        return fc * sinc * besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for β ≤ 20). */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
