package org.higgsnarrator.engine;

import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.runtime.RuntimeOptions;

/**
 * Decode-step speed at the released width on dense random weights, and what it means for narration: bytes read per
 * step (weights as the package stores them, plus the KV cache at the context reached), the fraction of the memory
 * bandwidth measured in the same run that achieves, and ×real-time (one step = one frame = 1/25 s of audio).
 */
public final class DecodeBench {
    private DecodeBench() {}

    /** A generation model at full width with some layers and dense seeded random weights (built by the converter). */
    public interface SyntheticModels {
        AudioLanguageModel build(ModelConfig config, Precision precision, RuntimeOptions options);
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

    /** Bytes per matrix weight at the default block size. */
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

    /**
     * Weight bytes one decode step reads, as the converter stores them: every layer's seven matrices at the package's
     * precision (for int8/int4 MatMulNBits' layout: packed weights, one fp32 scale and one packed zero point per block)
     * and the audio head in the type the converter keeps it ({@link Precision#headBytesPerWeight()}).
     */
    public static long bytesPerStep(ModelConfig c, int layers, Precision p) {
        long h = c.hiddenSize(), q = (long) c.numHeads() * c.headDim(), kv = (long) c.numKvHeads() * c.headDim(), f = c.audioFfnIntermediateSize();
        long perLayer = matrixBytes(p, q, h) + 2 * matrixBytes(p, kv, h) + matrixBytes(p, h, q) + 2 * matrixBytes(p, f, h) + matrixBytes(p, h, f);
        long heads = (long) c.numCodebooks() * c.codebookEntries();
        long head = p.headBits() == 0 ? heads * h * 4 : quantizedBytes(p.headBits(), heads, h, Precision.SCALE_BYTES);
        return perLayer * layers + head;
    }

    /** Bytes of one stored [n outputs × k inputs] matrix at precision {@code p} (default block size). */
    static long matrixBytes(Precision p, long n, long k) {
        return p.quantized() ? quantizedBytes(p.bits(), n, k, p.scaleBytes()) : Math.round(n * k * p.bytesPerMatrixWeight());
    }

    /** MatMulNBits' layout: packed weights, one scale (fp32 or fp16) and one packed zero point per block of each output row. */
    static long quantizedBytes(int bits, long n, long k, int scaleBytes) {
        long blocks = k / Precision.QUANT_BLOCK;
        return n * k * bits / 8 + n * blocks * scaleBytes + n * ((blocks * bits + 7) / 8);
    }

    /**
     * KV-cache bytes one decode step reads at {@code context} positions: keys and values of every layer, each KV head
     * once (the ideal; ORT's kernel may read them more often, which is what the bench's ratio shows).
     */
    public static long kvBytesPerStep(ModelConfig c, int context, int kvElementBytes) {
        return 2L * c.numLayers() * c.numKvHeads() * c.headDim() * (long) context * kvElementBytes;
    }

    /**
     * One measured decode speed.
     *
     * @param context        positions in the KV cache while timed
     * @param stepsPerSecond measured
     * @param weightBytes    weight bytes per step ({@link #bytesPerStep} or counted from the graph)
     * @param kvBytes        KV bytes per step at {@code context}
     * @param bandwidth      memory bandwidth measured in the same run, bytes/s
     */
    public record Row(String precision, int layers, int context, double stepsPerSecond, long weightBytes, long kvBytes, double bandwidth) {
        /** Weight bytes per second streamed. */
        public double weightBytesPerSecond() {
            return stepsPerSecond * weightBytes;
        }

        /** Weight bytes/s ÷ bandwidth (1 = the weights alone stream at the measured bandwidth). */
        public double weightFraction() {
            return weightBytesPerSecond() / bandwidth;
        }

        /** (Weights + KV once) bytes/s ÷ bandwidth: 1 = the step costs exactly reading both once. */
        public double totalFraction() {
            return stepsPerSecond * (weightBytes + kvBytes) / bandwidth;
        }

        /** ×real-time (25 frames per second of audio). */
        public double realTime(double framesPerSecond) {
            return stepsPerSecond / framesPerSecond;
        }
    }

    /**
     * Steps per second measured at a short and at a long context in one KV state, each with the memory bandwidth
     * probed right before and right after its timing (the higher of the two): on a shared machine the bandwidth
     * available moves with the load, so each speed is compared with what the memory gave at that moment.
     */
    public record Speeds(int shortContext, double shortStepsPerSecond, double shortBandwidth,
                         int longContext, double longStepsPerSecond, double longBandwidth) {}

    /**
     * Times decode steps at two contexts in one state: a real prefill of {@code shortContext} plain text tokens, then
     * {@code warmup} untimed and {@code steps} timed steps; then the state jumps to {@code longContext} positions (the
     * skipped positions keep whatever the cache holds — zeros: attention reads and weighs them like any others, its
     * cost does not depend on the values) and the same again. A real prefill of 2k tokens would take minutes at 28
     * layers on a small CPU without changing what a step costs.
     *
     * @param bandwidth probes the memory bandwidth (bytes/s) around each timing
     */
    public static Speeds stepsPerSecond(AudioLanguageModel model, int shortContext, int longContext, int warmup, int steps,
                                        java.util.function.DoubleSupplier bandwidth) {
        return stepsPerSecond(model, shortContext, longContext, warmup, steps, 1, bandwidth);
    }

    /**
     * As above, {@code rounds} times in the same state (rewound to the short context after each round, the long
     * context reached again by a jump): each round times both contexts with the bandwidth probed around each timing;
     * the medians over rounds are returned (one round on a machine whose speed swings by ±20 % is one sample of it).
     */
    public static Speeds stepsPerSecond(AudioLanguageModel model, int shortContext, int longContext, int warmup, int steps, int rounds,
                                        java.util.function.DoubleSupplier bandwidth) {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be ≥ 1, got " + rounds);
        ModelConfig c = model.config();
        long[] ids = textPrompt(c, shortContext);
        int[] frame = new int[c.numCodebooks()];
        int capacity = Math.max(shortContext + warmup + steps, longContext) + warmup + steps;
        try (AudioLanguageModel.State s = model.newState(capacity)) {
            model.prefill(s, ids, new int[0][], 1);
            for (int i = 0; i < warmup; i++) model.step(s, next(frame, i));
            int shortAt = s.position();
            int longAt = longContext > shortAt ? longContext + warmup : longContext;
            double[] shortSps = new double[rounds], shortBw = new double[rounds], longSps = new double[rounds], longBw = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (s.position() != shortAt) model.rewind(s, shortAt);
                double bw0 = bandwidth.getAsDouble();
                shortSps[r] = timeSteps(model, s, frame, steps);
                double bw1 = bandwidth.getAsDouble();
                shortBw[r] = Math.max(bw0, bw1);
                longSps[r] = Double.NaN;
                longBw[r] = 0;
                if (longContext > shortAt) {
                    model.skipTo(s, longContext);
                    for (int i = 0; i < warmup; i++) model.step(s, next(frame, i));
                    longSps[r] = timeSteps(model, s, frame, steps);
                    longBw[r] = Math.max(bw1, bandwidth.getAsDouble());
                }
            }
            return new Speeds(shortAt, median(shortSps), median(shortBw), longAt, median(longSps), median(longBw));
        }
    }

    /**
     * Decode speed of several models measured side by side ({@code bench paired}): each gets one state per context
     * (a real prefill of {@code prefillTokens} plain text tokens, then a jump to the context as in
     * {@link #stepsPerSecond}); then, round after round, every model times {@code steps} steps at every context, the
     * models' order turning each round, and each state is rewound to its context after its timing, so every round
     * measures the same positions. On a shared machine the load of a moment hits every model alike; the medians over
     * rounds (and the per-round ratios) are what compares graph changes, not two runs minutes apart.
     *
     * @return steps/s [model][context][round]
     */
    public static double[][][] pairedStepsPerSecond(List<? extends AudioLanguageModel> models, int[] contexts, int prefillTokens, int rounds,
                                                    int warmup, int steps) {
        int n = models.size();
        double[][][] out = new double[n][contexts.length][rounds];
        List<List<AudioLanguageModel.State>> states = new java.util.ArrayList<>();
        try {
            for (AudioLanguageModel m : models) {
                List<AudioLanguageModel.State> perContext = new java.util.ArrayList<>();
                states.add(perContext);
                ModelConfig c = m.config();
                long[] ids = textPrompt(c, prefillTokens);
                for (int context : contexts) {
                    if (context < prefillTokens) throw new IllegalArgumentException("context " + context + " is shorter than the " + prefillTokens + "-token prefill");
                    AudioLanguageModel.State s = m.newState(context + warmup + steps);
                    perContext.add(s);
                    m.prefill(s, ids, new int[0][], 1);
                    if (context > s.position()) m.skipTo(s, context);
                    int[] frame = new int[c.numCodebooks()];
                    for (int i = 0; i < warmup; i++) m.step(s, next(frame, i));
                    m.rewind(s, context);
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < n; j++) {
                    int mi = (j + r) % n;
                    AudioLanguageModel m = models.get(mi);
                    for (int ci = 0; ci < contexts.length; ci++) {
                        AudioLanguageModel.State s = states.get(mi).get(ci);
                        out[mi][ci][r] = timeSteps(m, s, new int[m.config().numCodebooks()], steps);
                        m.rewind(s, contexts[ci]);
                    }
                }
            }
            return out;
        } finally {
            for (List<AudioLanguageModel.State> l : states) l.forEach(AudioLanguageModel.State::close);
        }
    }

    /** The median of {@code v} (NaN when empty). */
    public static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Batched decode steps ({@code --batch}): a real prefill of {@code context} plain text tokens into slot 0, copied
     * into every slot (N takes of one prompt), then {@code warmup} untimed and {@code steps} timed steps of all
     * {@code batch} sequences together.
     *
     * @return decode calls per second (each advances all {@code batch} sequences by one frame)
     */
    public static double batchStepsPerSecond(AudioLanguageModel model, int batch, int context, int warmup, int steps) {
        ModelConfig c = model.config();
        long[] ids = textPrompt(c, context);
        try (AudioLanguageModel.Batch b = model.newBatch(batch, context + warmup + steps)) {
            model.prefill(b, 0, ids, new int[0][], 1);
            for (int i = 1; i < batch; i++) model.copySlot(b, 0, i);
            int[][] frames = new int[batch][c.numCodebooks()];
            for (int i = 0; i < warmup; i++) {
                for (int j = 0; j < batch; j++) next(frames[j], i + j);
                model.step(b, frames);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                for (int j = 0; j < batch; j++) next(frames[j], i + j + 7);
                model.step(b, frames);
            }
            return steps / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** {@code n} plain text tokens ending in {@code <|audio_out_bos|>}: the prompt the decode timings prefill. */
    private static long[] textPrompt(ModelConfig c, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = 1000 + i;
        ids[n - 1] = c.tokens().audioOutBos();
        return ids;
    }

    private static double timeSteps(AudioLanguageModel model, AudioLanguageModel.State s, int[] frame, int steps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) model.step(s, next(frame, i + 7));
        return steps / ((System.nanoTime() - t0) / 1e9);
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
