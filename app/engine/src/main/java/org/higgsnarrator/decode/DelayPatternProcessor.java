package org.higgsnarrator.decode;

import org.higgsnarrator.config.ModelConfig;

/**
 * The delay-pattern logits processor of the reference ({@code HiggsAudioV2DelayPatternLogitsProcessor}), for one
 * generation. It keeps two counters per codebook:
 * <ul>
 *   <li>BOS counters: while {@code bos[k] ≥ 0} codebook k may only emit stream BOS; they start at
 *       {@code delay − (K − i)} where delay = [1..K] and i is the index of the first {@code <|audio_out_bos|>} among
 *       the last K prompt ids (so [0..K−1] when the prompt ends with it; all 0 when there is none) and count down
 *       once per step;</li>
 *   <li>EOS counters: while {@code eos[k] ≤ 0} codebook k may only emit stream EOS; they start at [1..K] (shifted the
 *       same way by the first delay token among the last K prompt ids) and count down on every step whose previous
 *       text-stream token is the delay token — which the loop appends once any codebook has ended.</li>
 * </ul>
 * Each processor instance is the state of one generation; it is not reusable.
 */
public final class DelayPatternProcessor {
    private final int numCodebooks;
    private final int entries;
    private final int streamBos;
    private final int streamEos;
    private final int delayToken;
    private final int[] bos;
    private final int[] eos;

    /** @param promptIds the whole prompt; only its last K ids are read */
    public DelayPatternProcessor(ModelConfig config, long[] promptIds) {
        this.numCodebooks = config.numCodebooks();
        this.entries = config.codebookEntries();
        this.streamBos = config.streamBos();
        this.streamEos = config.streamEos();
        this.delayToken = config.tokens().audioDelay();
        int k = numCodebooks;
        int from = Math.max(0, promptIds.length - k);
        int firstBos = -1, firstDelay = -1;
        for (int i = from; i < promptIds.length; i++) {
            if (firstBos < 0 && promptIds[i] == config.tokens().audioOutBos()) firstBos = i - from;
            if (firstDelay < 0 && promptIds[i] == delayToken) firstDelay = i - from;
        }
        bos = new int[k];
        eos = new int[k];
        for (int c = 0; c < k; c++) {
            // The reference measures the distance from the end with the pattern size K even when the prompt is
            // shorter than K; kept as is so that edge cases match too.
            bos[c] = firstBos < 0 ? 0 : (c + 1) - (k - firstBos);
            eos[c] = firstDelay < 0 ? (c + 1) : (c + 1) - (k - firstDelay);
        }
    }

    /**
     * Masks {@code logits} in place for this step and advances the counters.
     *
     * @param logits        [K × entries] codebook-major scores of the step
     * @param lastTextToken the last token of the text stream (the prompt's last id at the first step, then the
     *                      previous step's placeholder)
     */
    public void apply(float[] logits, long lastTextToken) {
        if (logits.length != numCodebooks * entries) {
            throw new IllegalArgumentException("step logits have " + logits.length + " values; expected " + numCodebooks + " codebooks × " + entries);
        }
        for (int c = 0; c < numCodebooks; c++) {
            if (bos[c] >= 0) {
                allowOnly(logits, c, streamBos);
                bos[c]--;
            }
        }
        if (lastTextToken == delayToken) {
            for (int c = 0; c < numCodebooks; c++) eos[c]--;
        }
        for (int c = 0; c < numCodebooks; c++) {
            if (eos[c] <= 0) allowOnly(logits, c, streamEos);
        }
    }

    private void allowOnly(float[] logits, int codebook, int code) {
        int base = codebook * entries;
        for (int i = 0; i < entries; i++) {
            if (i != code) logits[base + i] = Float.NEGATIVE_INFINITY;
        }
    }

    /** Current BOS counters (for tests and diagnostics). */
    int[] bosCounters() {
        return bos.clone();
    }

    /** Current EOS counters (for tests and diagnostics). */
    int[] eosCounters() {
        return eos.clone();
    }
}
