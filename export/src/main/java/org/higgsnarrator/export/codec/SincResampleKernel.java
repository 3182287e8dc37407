package org.higgsnarrator.export.codec;

/**
 * The polyphase kernel of torchaudio's {@code functional.resample} (method sinc_interp_hann), computed the way
 * torchaudio computes it for a float32 waveform: every step in float32 (the kernel's dtype follows the waveform's),
 * so the encoder graph's resampling matches the reference to float rounding. Applied as: pad the signal with
 * {@code width} zeros left and {@code width + orig} right, Conv1d with weight {@code [new, 1, 2·width + orig]} and
 * stride {@code orig}, interleave the {@code new} output channels, keep {@code ceil(new·N/orig)} samples.
 *
 * @param orig   input rate / gcd (24000 → 3)
 * @param target output rate / gcd (16000 → 2)
 * @param width  one-sided filter reach in input samples
 * @param kernel [target][2·width + orig]
 */
record SincResampleKernel(int orig, int target, int width, float[] kernel) {

    static SincResampleKernel of(int origFreq, int newFreq, int lowpassFilterWidth, double rolloff) {
        int g = gcd(origFreq, newFreq);
        int orig = origFreq / g, target = newFreq / g;
        double baseFreq = Math.min(orig, target) * rolloff;
        int width = (int) Math.ceil(lowpassFilterWidth * orig / baseFreq);
        int taps = 2 * width + orig;
        float[] k = new float[target * taps];
        float base = (float) baseFreq;
        float lpw = lowpassFilterWidth;
        float pi = (float) Math.PI;
        float scale = (float) (baseFreq / orig);
        for (int j = 0; j < target; j++) {
            float phase = (float) (-j) / (float) target;
            for (int i = 0; i < taps; i++) {
                float idx = (float) (i - width) / (float) orig;
                float t = (phase + idx) * base;
                t = Math.max(-lpw, Math.min(lpw, t));
                float c = (float) Math.cos(t * pi / lpw / 2f);
                float window = c * c;
                float tp = t * pi;
                float sinc = tp == 0f ? 1f : (float) Math.sin(tp) / tp;
                k[j * taps + i] = sinc * (window * scale);
            }
        }
        return new SincResampleKernel(orig, target, width, k);
    }

    int taps() {
        return 2 * width + orig;
    }

    /** Output length of torchaudio's resample for {@code n} input samples: ceil(target·n/orig). */
    long outputLength(long n) {
        return (target * n + orig - 1) / orig;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
