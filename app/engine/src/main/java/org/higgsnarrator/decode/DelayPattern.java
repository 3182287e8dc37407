package org.higgsnarrator.decode;

/**
 * The delay pattern of Higgs Audio v2: codebook k of a frame is emitted k steps later than codebook 0, so each
 * position of the audio stream predicts codebook 0 of one frame, codebook 1 of the frame before, and so on.
 * Codes are held as {@code [codebooks][frames]}.
 */
public final class DelayPattern {
    private DelayPattern() {}

    /**
     * Shifts codebook k right by k. {@code codes} [K][F] → [K][F+K-1]; the leading triangle is {@code bos}, the
     * trailing triangle {@code eos}.
     */
    public static int[][] apply(int[][] codes, int bos, int eos) {
        int k = codes.length, f = k == 0 ? 0 : codes[0].length;
        int[][] out = new int[k][f + k - 1];
        for (int c = 0; c < k; c++) {
            if (codes[c].length != f) throw new IllegalArgumentException("codebook " + c + " has " + codes[c].length + " frames, codebook 0 has " + f);
            for (int t = 0; t < f + k - 1; t++) {
                int src = t - c;
                out[c][t] = src < 0 ? bos : src >= f ? eos : codes[c][src];
            }
        }
        return out;
    }

    /** Inverse of {@link #apply}: [K][T] → [K][T-K+1], reading codebook k k frames later. */
    public static int[][] revert(int[][] delayed) {
        int k = delayed.length, t = k == 0 ? 0 : delayed[0].length;
        int f = t - k + 1;
        if (f < 0) throw new IllegalArgumentException("a delayed sequence of " + t + " frames is shorter than the " + (k - 1) + "-frame delay of " + k + " codebooks");
        int[][] out = new int[k][f];
        for (int c = 0; c < k; c++) System.arraycopy(delayed[c], c, out[c], 0, f);
        return out;
    }

    /**
     * A reference clip as the prompt carries it: a BOS frame, the clip's codes, an EOS frame, then the delay pattern.
     * [K][F] → [K][F+2+K-1], matching {@code (frames + 2)} {@code <|AUDIO_OUT|>} tokens plus K−1 delay tokens.
     */
    public static int[][] promptFrames(int[][] clipCodes, int bos, int eos) {
        int k = clipCodes.length, f = k == 0 ? 0 : clipCodes[0].length;
        int[][] framed = new int[k][f + 2];
        for (int c = 0; c < k; c++) {
            framed[c][0] = bos;
            System.arraycopy(clipCodes[c], 0, framed[c], 1, f);
            framed[c][f + 1] = eos;
        }
        return apply(framed, bos, eos);
    }
}
