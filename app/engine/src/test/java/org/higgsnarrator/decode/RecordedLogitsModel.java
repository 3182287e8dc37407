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
public final class RecordedLogitsModel implements AudioLanguageModel {
    private final ModelConfig config;
    private final float[][] stepLogits; // [steps][K × entries]
    public final List<long[]> prefillIds = new ArrayList<>();
    public final List<int[][]> prefillFrames = new ArrayList<>();
    public final List<int[]> fedFrames = new ArrayList<>();
    public volatile int openStates;

    public RecordedLogitsModel(ModelConfig config, float[][] stepLogits) {
        this.config = config;
        this.stepLogits = stepLogits;
    }

    /** Splits a flat [1, steps, width] tensor into per-step rows. */
    public static float[][] rows(float[] flat, int steps) {
        int width = flat.length / steps;
        float[][] out = new float[steps][];
        for (int s = 0; s < steps; s++) out[s] = Arrays.copyOfRange(flat, s * width, (s + 1) * width);
        return out;
    }

    /** The kit's recorded greedy steps of prompt case {@code name} ({@code prompt.<name>.gen_step_logits}). */
    public static RecordedLogitsModel ofKitCase(String name) {
        try (var golden = org.higgsnarrator.tensors.SafeTensorsFile.open(KitModel.tiny().resolve("golden/tensors.safetensors"))) {
            String t = "prompt." + name + ".gen_step_logits";
            return new RecordedLogitsModel(KitModel.config(), rows(golden.floats(t), (int) golden.info(t).shape()[1]));
        }
    }

    public int recordedSteps() {
        return stepLogits.length;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public State newState(int maxPositions) {
        openStates++;
        return new Replay();
    }

    /** Each state replays the recording from its start: a new chunk's prompt starts a new generation. */
    private final class Replay implements State {
        int steps;
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
    }

    @Override
    public float[][] prefill(State state, long[] ids, int[][] audioFrames, int lastN) {
        if (lastN != 1) throw new IllegalArgumentException("recorded logits exist for the last prompt position only");
        prefillIds.add(ids.clone());
        prefillFrames.add(audioFrames);
        ((Replay) state).steps = 0;
        return new float[][] {stepLogits[0].clone()};
    }

    @Override
    public float[] step(State state, int[] frame) {
        fedFrames.add(frame.clone());
        Replay r = (Replay) state;
        if (r.closed) throw new IllegalStateException("step on a closed state");
        int n = ++r.steps;
        if (n >= stepLogits.length) throw new IllegalStateException("only " + stepLogits.length + " steps were recorded; the loop asked for step " + n);
        return stepLogits[n].clone();
    }

    @Override
    public void close() {}
}
