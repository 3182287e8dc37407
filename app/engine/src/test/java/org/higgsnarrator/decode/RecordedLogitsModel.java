package org.higgsnarrator.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;

/**
 * TEST FIXTURE: an {@link AudioLanguageModel} that replays logits the reference implementation recorded
 * ({@code gen_step_logits} of the conformance kit): the prefill returns step 0's logits, the n-th {@link #step} call
 * step n's. It computes nothing; it lets the real generation loop (processor, sampler, text stream, delay revert) be
 * checked against the reference without the ORT model. It records what the loop fed it so tests can check that too.
 */
final class RecordedLogitsModel implements AudioLanguageModel {
    private final ModelConfig config;
    private final float[][] stepLogits; // [steps][K × entries]
    final List<long[]> prefillIds = new ArrayList<>();
    final List<int[][]> prefillFrames = new ArrayList<>();
    final List<int[]> fedFrames = new ArrayList<>();
    int openStates;

    RecordedLogitsModel(ModelConfig config, float[][] stepLogits) {
        this.config = config;
        this.stepLogits = stepLogits;
    }

    /** Splits a flat [1, steps, width] tensor into per-step rows. */
    static float[][] rows(float[] flat, int steps) {
        int width = flat.length / steps;
        float[][] out = new float[steps][];
        for (int s = 0; s < steps; s++) out[s] = Arrays.copyOfRange(flat, s * width, (s + 1) * width);
        return out;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public State newState(int maxPositions) {
        openStates++;
        return new State() {
            int position;
            boolean closed;

            @Override
            public int position() {
                return position;
            }

            @Override
            public void close() {
                if (!closed) openStates--;
                closed = true;
            }
        };
    }

    @Override
    public float[][] prefill(State state, long[] ids, int[][] audioFrames, int lastN) {
        if (lastN != 1) throw new IllegalArgumentException("recorded logits exist for the last prompt position only");
        prefillIds.add(ids.clone());
        prefillFrames.add(audioFrames);
        return new float[][] {stepLogits[0].clone()};
    }

    @Override
    public float[] step(State state, int[] frame) {
        fedFrames.add(frame.clone());
        int n = fedFrames.size();
        if (n >= stepLogits.length) throw new IllegalStateException("only " + stepLogits.length + " steps were recorded; the loop asked for step " + n);
        return stepLogits[n].clone();
    }

    @Override
    public void close() {}
}
