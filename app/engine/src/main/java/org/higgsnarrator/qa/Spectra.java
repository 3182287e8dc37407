package org.higgsnarrator.qa;

/** Short-time log band energies (for comparing frames of audio), with a small radix-2 FFT. */
final class Spectra {
    private Spectra() {}

    static final int BANDS = 24;
    static final double LOW_HZ = 100, HIGH_HZ = 8000;

    /** Per frame of {@code hop} samples: log energies (dB) of BANDS log-spaced bands, from a Hann-windowed FFT. */
    static float[][] logBands(float[] x, int rate, int hop) {
        int size = Integer.highestOneBit(Math.max(64, (int) (0.025 * rate)) * 2 - 1);   // ≥ 25 ms, a power of two
        double[] window = new double[size];
        for (int i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / size);
        double high = Math.min(HIGH_HZ, rate / 2.0 * 0.95);
        int[] edges = new int[BANDS + 1];
        for (int b = 0; b <= BANDS; b++) edges[b] = (int) Math.round(LOW_HZ * Math.pow(high / LOW_HZ, b / (double) BANDS) * size / rate);
        int n = x.length / hop;
        float[][] out = new float[n][BANDS];
        double[] re = new double[size], im = new double[size];
        for (int f = 0; f < n; f++) {
            int centre = f * hop + hop / 2, start = centre - size / 2;
            for (int i = 0; i < size; i++) {
                int j = start + i;
                re[i] = j >= 0 && j < x.length ? x[j] * window[i] : 0;
                im[i] = 0;
            }
            fft(re, im);
            for (int b = 0; b < BANDS; b++) {
                double e = 0;
                for (int k = edges[b], end = Math.max(edges[b] + 1, edges[b + 1]); k < end; k++) e += re[k] * re[k] + im[k] * im[k];
                out[f][b] = (float) (10 * Math.log10(e + 1e-12));
            }
        }
        return out;
    }

    /** Mean absolute difference of two frames' band energies (dB). */
    static double distanceDb(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
        return d / a.length;
    }

    /** In-place iterative radix-2 FFT (length a power of two). */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len, wr = Math.cos(ang), wi = Math.sin(ang);
            for (int i = 0; i < n; i += len) {
                double cr = 1, ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k, b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                    double t = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = t;
                }
            }
        }
    }
}
