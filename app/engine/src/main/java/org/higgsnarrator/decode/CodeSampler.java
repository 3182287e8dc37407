package org.higgsnarrator.decode;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Chooses one code per codebook from a step's processed logits, as the reference does: greedy argmax, or
 * temperature → top-k → top-p → a draw from the softmax; then repetition-aware sampling (RAS), in greedy mode too as in
 * Boson's release: a codebook whose choice already occurs {@code rasMaxRepeats} times among its last {@code rasWindow}
 * frames (every value counted, stream BOS/EOS included) is redrawn from the softmax of its <em>raw</em> logits (no
 * delay mask, no temperature, no top-k/top-p); codebooks the delay pattern forces keep their code.
 * The RNG is the caller's, so that one seeded generator makes a whole take reproducible.
 */
public final class CodeSampler {
    private final GenerationOptions options;
    private final int numCodebooks;
    private final int entries;
    private final int streamBos;
    private final int streamEos;
    private final RandomGenerator rng;
    // Scratch for one codebook: [entries]
    private final float[] scores;
    private final double[] probs;
    private final Integer[] order;

    public CodeSampler(GenerationOptions options, int numCodebooks, int entries, int streamBos, int streamEos, RandomGenerator rng) {
        this.options = options;
        this.numCodebooks = numCodebooks;
        this.entries = entries;
        this.streamBos = streamBos;
        this.streamEos = streamEos;
        this.rng = rng;
        this.scores = new float[entries];
        this.probs = new double[entries];
        this.order = new Integer[entries];
    }

    /**
     * @param processed [K × entries] logits after the delay-pattern processor
     * @param raw       [K × entries] the model's logits of the step (RAS redraws from these)
     * @param history   every audio frame so far, prompt frames first (delay pattern applied), each [K]
     * @return the new frame [K]
     */
    public int[] select(float[] processed, float[] raw, List<int[]> history) {
        int[] frame = new int[numCodebooks];
        for (int c = 0; c < numCodebooks; c++) {
            System.arraycopy(processed, c * entries, scores, 0, entries);
            frame[c] = options.greedy() ? argmax(scores) : sample(scores);
        }
        if (options.rasWindow() > 0 && !history.isEmpty()) {
            int from = Math.max(0, history.size() - options.rasWindow());
            for (int c = 0; c < numCodebooks; c++) {
                // A codebook the delay pattern forces (stream BOS/EOS only) keeps its code: the release forces those
                // after RAS (modeling_higgs_audio.py L1546-1562), so a redraw could never stand.
                if (forced(processed, c)) continue;
                int code = frame[c], repeats = 0;
                // every value in the window counts, stream BOS/EOS included (modeling_higgs_audio.py L1526:
                // (audio_out_ids[:, -ras_win_len:] == next_audio_tokens.unsqueeze(1)).sum(dim=1))
                for (int t = from; t < history.size(); t++) {
                    if (history.get(t)[c] == code) repeats++;
                }
                if (repeats >= options.rasMaxRepeats()) {
                    System.arraycopy(raw, c * entries, scores, 0, entries);
                    frame[c] = draw(scores);
                }
            }
        }
        return frame;
    }

    /** Whether the processed logits of codebook c allow exactly one code (the delay pattern's BOS/EOS forcing). */
    private boolean forced(float[] processed, int c) {
        int finite = 0;
        for (int i = c * entries, end = i + entries; i < end; i++) {
            if (processed[i] != Float.NEGATIVE_INFINITY && ++finite > 1) return false;
        }
        return finite == 1;
    }

    /** Index of the largest score; the first on ties (as torch.argmax). */
    static int argmax(float[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[best]) best = i;
        }
        return best;
    }

    private int sample(float[] s) {
        if (options.temperature() != 1.0) {
            float t = (float) options.temperature();
            for (int i = 0; i < s.length; i++) s[i] /= t;
        }
        int k = Math.min(options.topK(), s.length);
        if (k > 0) {
            // Reference: remove every score strictly below the k-th largest (ties at the threshold survive).
            float[] sorted = s.clone();
            Arrays.sort(sorted);
            float threshold = sorted[sorted.length - k];
            for (int i = 0; i < s.length; i++) {
                if (s[i] < threshold) s[i] = Float.NEGATIVE_INFINITY;
            }
        }
        if (options.topP() < 1.0) topP(s, options.topP());
        return draw(s);
    }

    /** Reference top-p: ascending sort, drop the codes whose cumulative probability is ≤ 1 − p, keep the top one. */
    private void topP(float[] s, double p) {
        for (int i = 0; i < s.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(s[a], s[b]));
        softmax(s, probs);
        double cum = 0;
        for (int r = 0; r < s.length - 1; r++) { // the last (largest) is always kept
            int i = order[r];
            cum += probs[i];
            if (cum <= 1 - p) s[i] = Float.NEGATIVE_INFINITY;
        }
    }

    /** A draw from softmax(s). */
    private int draw(float[] s) {
        softmax(s, probs);
        double u = rng.nextDouble(), cum = 0;
        int last = -1;
        for (int i = 0; i < s.length; i++) {
            if (probs[i] <= 0) continue;
            cum += probs[i];
            last = i;
            if (u < cum) return i;
        }
        if (last < 0) throw new IllegalStateException("every code of a codebook is masked out; the logits are all -inf or NaN");
        return last; // rounding: u landed past the accumulated total
    }

    private static void softmax(float[] s, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : s) max = Math.max(max, v);
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            double e = s[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(s[i] - max);
            out[i] = e;
            sum += e;
        }
        for (int i = 0; i < s.length; i++) out[i] /= sum;
    }
}
