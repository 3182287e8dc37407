package org.higgsnarrator.audio;

/**
 * Offline look-around peak limiter, linked across channels, working on the true-peak envelope so that peaks between
 * samples are held down as well.
 *
 * <p>Per sample n the gain must not exceed {@code r[n] = min(1, ceiling / peak[n])}. The gain curve is
 * {@code g = box_w(release(min_w(r)))}: a sliding minimum over ±w/2, a one-pole recovery towards 1 (only upwards,
 * so it never rises above the minimum), then a moving average over the same ±w/2. Every value averaged for sample n
 * is a minimum over a window containing n, hence {@code g[n] <= r[n]}: the peak holds, and the gain moves smoothly
 * over w instead of jumping. Having the whole signal, the limiter needs no latency.
 */
public final class Limiter {
    private Limiter() {}

    public static AudioClip limit(AudioClip clip, double ceilingDbtp, AudioOptions o) {
        return limit(clip, peakEnvelope(clip, o), 1.0, ceilingDbtp, o);
    }

    /** Per frame, the largest true-peak envelope value over all channels (channels are limited together). */
    static float[] peakEnvelope(AudioClip clip, AudioOptions o) {
        float[] peak = new float[clip.frames()];
        for (float[] ch : clip.planar()) {
            float[] env = LoudnessMeter.truePeakEnvelope(ch, clip.sampleRate(), o);
            for (int i = 0; i < peak.length; i++) peak[i] = Math.max(peak[i], env[i]);
        }
        return peak;
    }

    /**
     * {@code clip} multiplied by {@code gain} and limited to the ceiling. The envelope of the ungained clip is passed
     * in because scaling scales it too, so mastering computes it once for all the gains it tries.
     */
    static AudioClip limit(AudioClip clip, float[] envelope, double gain, double ceilingDbtp, AudioOptions o) {
        int n = clip.frames(), c = clip.channels();
        double ceiling = LoudnessMeter.fromDb(ceilingDbtp);
        double[] r = new double[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            double p = envelope[i] * gain;
            r[i] = p > ceiling ? ceiling / p : 1.0;
            any |= r[i] < 1;
        }
        if (!any) return gain == 1.0 ? clip : clip.scaled(gain);
        int h = Math.max(1, (int) Math.round(o.limiterWindowSeconds() * clip.sampleRate() / 2));
        double[] m = slidingMin(r, h);
        double alpha = 1 - Math.exp(-1.0 / (o.limiterReleaseSeconds() * clip.sampleRate()));
        for (int i = 1; i < n; i++) if (m[i] > m[i - 1]) m[i] = m[i - 1] + alpha * (m[i] - m[i - 1]);
        double[] g = boxAverage(m, h);
        float[] s = clip.samples().clone();
        for (int i = 0; i < n; i++) for (int ch = 0; ch < c; ch++) s[i * c + ch] *= (float) (g[i] * gain);
        return new AudioClip(s, clip.sampleRate(), c);
    }

    /** min of x over [i-h, i+h] for each i (monotonic deque, O(n)). */
    static double[] slidingMin(double[] x, int h) {
        int n = x.length;
        double[] out = new double[n];
        int[] dq = new int[n];
        int head = 0, tail = 0, next = 0;
        for (int i = 0; i < n; i++) {
            for (; next <= Math.min(n - 1, i + h); next++) {
                while (tail > head && x[dq[tail - 1]] >= x[next]) tail--;
                dq[tail++] = next;
            }
            while (dq[head] < i - h) head++;
            out[i] = x[dq[head]];
        }
        return out;
    }

    /** Mean of x over [i-h, i+h] clipped to the signal, for each i. */
    static double[] boxAverage(double[] x, int h) {
        int n = x.length;
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + x[i];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int a = Math.max(0, i - h), b = Math.min(n, i + h + 1);
            out[i] = (prefix[b] - prefix[a]) / (b - a);
        }
        return out;
    }
}
