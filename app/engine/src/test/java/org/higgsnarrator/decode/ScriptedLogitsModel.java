package org.higgsnarrator.decode;

import java.util.function.IntFunction;
import org.higgsnarrator.config.ModelConfig;

/**
 * TEST FIXTURE: an {@link AudioLanguageModel} whose logits at each position come from a script (position index →
 * preferred code per codebook). Used to drive the loop through situations the recorded goldens do not reach
 * (stream EOS). Not a stand-in for the real model anywhere else.
 */
final class ScriptedLogitsModel implements AudioLanguageModel {
    private final ModelConfig config;
    private final IntFunction<int[]> preferred; // step index → [K] preferred code
    int steps;
    int openStates;

    ScriptedLogitsModel(ModelConfig config, IntFunction<int[]> preferred) {
        this.config = config;
        this.preferred = preferred;
    }

    private float[] logitsFor(int step) {
        int k = config.numCodebooks(), e = config.codebookEntries();
        float[] l = new float[k * e];
        int[] p = preferred.apply(step);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < e; i++) l[c * e + i] = -((i * 7919 + c * 104729) % 1000) / 100f; // distinct, all below 0
            l[c * e + p[c]] = 5f;
        }
        return l;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public State newState(int maxPositions) {
        openStates++;
        return new State() {
            boolean closed;

            @Override
            public int position() {
                return steps;
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
        return new float[][] {logitsFor(0)};
    }

    @Override
    public float[] step(State state, int[] frame) {
        return logitsFor(++steps);
    }

    @Override
    public void close() {}
}
