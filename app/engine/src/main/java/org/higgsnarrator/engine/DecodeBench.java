package org.higgsnarrator.engine;

import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.runtime.Device;

/**
 * Decode-step speed at the released width on synthetic weights, and what it means for narration: weight bytes read
 * per step, the fraction of the measured memory bandwidth that achieves, and ×real-time extrapolated to all layers
 * (one step = one frame = 1/25 s of audio).
 */
public final class DecodeBench {
    private DecodeBench() {}

    /** A generation model at full width with a few layers and random weights (built by the converter). */
    public interface SyntheticModels {
        AudioLanguageModel build(ModelConfig config, Precision precision, Device device);
    }

    /** The release's sizes (docs/higgs-model-spec) with {@code layers} decoder layers. */
    public static ModelConfig releaseWidth(int layers, ModelConfig.SpecialTokens tokens) {
        var rope = new ModelConfig.Rope("llama3", 500000, 32, 1, 4, 8192);
        return new ModelConfig(3072, 8192, layers, 24, 8, 128, 128256, 1e-5, rope, 131072, 3072, 8192,
                java.util.stream.IntStream.range(0, layers).boxed().toList(), 8, 1024, true, tokens);
    }

    /** The release's special token ids (docs/higgs-model-spec "Special tokens"). */
    public static ModelConfig.SpecialTokens releaseTokens() {
        return new ModelConfig.SpecialTokens(128000, 128001, 128006, 128007, 128009, 128011, 128012, 128013, 128014, 128015, 128016, 1024, 1025);
    }

    /**
     * Bytes per weight as stored: fp32 4, fp16 2; int8 and int4 add one fp32 scale per block of 32 weights (ORT's
     * MatMulNBits / blockwise layout). An estimate when the converter's layout differs; the report says so.
     */
    public static double bytesPerWeight(Precision precision) {
        return precision.bytesPerMatrixWeight();
    }

    /**
     * Matrix weights one decode step reads in one layer: attention q, k, v, o and the audio expert's gate/up/down (a
     * decode step is all-audio: the text MLP is never read).
     */
    public static long weightsPerLayer(ModelConfig c) {
        long h = c.hiddenSize(), q = (long) c.numHeads() * c.headDim(), kv = (long) c.numKvHeads() * c.headDim();
        return h * q + 2 * h * kv + q * h + 3 * h * c.audioFfnIntermediateSize();
    }

    /** Matrix weights read once per step outside the layers: the audio head (the K embedding rows are negligible). */
    public static long weightsOutsideLayers(ModelConfig c) {
        return (long) c.numCodebooks() * c.codebookEntries() * c.hiddenSize();
    }

    public static long bytesPerStep(ModelConfig c, int layers, Precision precision) {
        return Math.round((weightsPerLayer(c) * layers + weightsOutsideLayers(c)) * bytesPerWeight(precision));
    }

    /**
     * @param stepsPerSecond measured with {@code layers} layers
     * @param bandwidth      measured memory bandwidth, bytes/s
     */
    public record Row(Precision precision, int layers, double stepsPerSecond, long bytesPerStep, double bandwidth, int fullLayers, long fullBytesPerStep) {
        /** Weight bytes per second actually streamed. */
        public double achievedBytesPerSecond() {
            return stepsPerSecond * bytesPerStep;
        }

        /** Fraction of the memory bandwidth the decode step achieves (1 = bandwidth-bound ideal). */
        public double bandwidthFraction() {
            return achievedBytesPerSecond() / bandwidth;
        }

        /** Steps per second with all layers, assuming step time scales with the weight bytes read. */
        public double fullStepsPerSecond() {
            return achievedBytesPerSecond() / fullBytesPerStep;
        }

        /** ×real-time of the full model (25 frames per second of audio). */
        public double fullRealTime(double framesPerSecond) {
            return fullStepsPerSecond() / framesPerSecond;
        }

        /** ×real-time if the full model streamed its weights at the measured bandwidth. */
        public double idealRealTime(double framesPerSecond) {
            return bandwidth / fullBytesPerStep / framesPerSecond;
        }
    }

    /**
     * Times {@code steps} decode steps after a short prefill; the first {@code warmup} steps are not timed.
     *
     * @return steps per second
     */
    public static double stepsPerSecond(AudioLanguageModel model, int promptTokens, int warmup, int steps) {
        ModelConfig c = model.config();
        long[] ids = new long[promptTokens];
        for (int i = 0; i < ids.length; i++) ids[i] = 1000 + i; // plain text tokens
        ids[ids.length - 1] = c.tokens().audioOutBos();
        int[] frame = new int[c.numCodebooks()];
        try (AudioLanguageModel.State s = model.newState(promptTokens + warmup + steps)) {
            model.prefill(s, ids, new int[0][], 1);
            for (int i = 0; i < warmup; i++) model.step(s, next(frame, i));
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) model.step(s, next(frame, warmup + i));
            return steps / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Prefill speed on a prompt shaped like a cloned voice's: the first half text tokens, then audio positions (a
     * reference clip, so both the text and the audio MLP run), ending in {@code <|audio_out_bos|>}. One untimed
     * prefill, then the best of {@code repeats}, each into a fresh state.
     *
     * @return prompt tokens per second
     */
    public static double prefillTokensPerSecond(AudioLanguageModel model, int promptTokens, int repeats) {
        ModelConfig c = model.config();
        int text = Math.max(1, promptTokens / 2), audio = Math.max(0, promptTokens - text - 1);
        long[] ids = new long[text + audio + 1];
        for (int i = 0; i < text; i++) ids[i] = 1000 + i;
        int[][] frames = new int[audio][];
        for (int i = 0; i < audio; i++) {
            ids[text + i] = c.tokens().audioOut();
            frames[i] = next(new int[c.numCodebooks()], i);
        }
        ids[ids.length - 1] = c.tokens().audioOutBos();
        double best = Double.MAX_VALUE;
        for (int r = 0; r <= repeats; r++) {
            try (AudioLanguageModel.State s = model.newState(ids.length)) {
                long t0 = System.nanoTime();
                model.prefill(s, ids, frames, 1);
                double t = (System.nanoTime() - t0) / 1e9;
                if (r > 0) best = Math.min(best, t);
            }
        }
        return ids.length / best;
    }

    private static int[] next(int[] frame, int i) {
        for (int c = 0; c < frame.length; c++) frame[c] = (i * 31 + c * 97) % 1024;
        return frame;
    }

    public static final List<Precision> PRECISIONS = List.of(Precision.FP32, Precision.INT8, Precision.INT4);
}
