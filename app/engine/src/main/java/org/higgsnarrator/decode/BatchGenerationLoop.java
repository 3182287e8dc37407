package org.higgsnarrator.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.config.ReferencePipeline;

/**
 * Generates several sequences decoded together: one KV slot per sequence ({@link AudioLanguageModel.Batch}), one
 * decode step for all of them per frame. Each sequence keeps its own sampler (its own seed), delay pattern, stop
 * state and position, exactly as {@link GenerationLoop} keeps them for one ({@link Sequence} is the one place that
 * per-sequence logic lives). A sequence that ends leaves the batch at once: the last live slot is copied into its
 * place, so the next steps run on fewer sequences and a finished one costs nothing.
 *
 * <p>Two ways in: {@link #run} (independent prompts, each prefilled into its own slot) and {@link #takes} (N takes of
 * one prompt: prefilled once, the slot copied N−1 times, N seeds). A model that cannot batch
 * ({@link AudioLanguageModel#batchable()} false, e.g. the IoBinding path) gets the same results one sequence after
 * the other through {@link GenerationLoop}.
 */
public final class BatchGenerationLoop {
    private final AudioLanguageModel model;
    private final ModelConfig config;
    private final ReferencePipeline ending;
    private long batchSteps, sequenceSteps, stepNanos, prefillNanos;

    public BatchGenerationLoop(AudioLanguageModel model, ReferencePipeline ending) {
        this.model = model;
        this.config = model.config();
        this.ending = ending;
    }

    /** What the last runs cost: decode calls, sequence-steps they advanced, and the time in the model. */
    public record Stats(long batchSteps, long sequenceSteps, double stepSeconds, double prefillSeconds) {}

    public Stats stats() {
        return new Stats(batchSteps, sequenceSteps, stepNanos / 1e9, prefillNanos / 1e9);
    }

    /**
     * Generates one sequence per prompt, all decoded together.
     *
     * @param observers one per prompt (or null); called on this thread as each sequence advances
     * @param cancelled polled before every prefill and every step; when true the loop throws {@link CancellationException}
     */
    public List<GenerationResult> run(List<PromptTokens> prompts, List<GenerationOptions> options, List<GenerationLoop.Observer> observers,
            BooleanSupplier cancelled) {
        int n = checkSizes(prompts.size(), options, observers);
        BooleanSupplier cancel = cancelled == null ? () -> false : cancelled;
        if (!model.batchable()) {
            List<GenerationResult> out = new ArrayList<>();
            GenerationLoop loop = new GenerationLoop(model, ending);
            for (int i = 0; i < n; i++) out.add(loop.run(prompts.get(i), options.get(i), observer(observers, i), cancel));
            return out;
        }
        List<Sequence> seqs = new ArrayList<>();
        int capacity = 1;
        for (int i = 0; i < n; i++) {
            seqs.add(new Sequence(config, ending, prompts.get(i), options.get(i), observer(observers, i)));
            capacity = Math.max(capacity, prompts.get(i).ids().length + Math.max(1, options.get(i).maxFrames()));
        }
        try (AudioLanguageModel.Batch batch = model.newBatch(n, Math.min(capacity, model.maxPositions()))) {
            float[][] logits = new float[n][];
            for (int i = 0; i < n; i++) {
                check(cancel);
                PromptTokens p = prompts.get(i);
                long t0 = System.nanoTime();
                logits[i] = model.prefill(batch, i, p.ids(), p.audioFrames(), 1)[0];
                prefillNanos += System.nanoTime() - t0;
            }
            decode(batch, seqs, logits, cancel);
        }
        List<GenerationResult> out = new ArrayList<>();
        for (Sequence s : seqs) out.add(s.finish());
        return out;
    }

    /**
     * N takes of one prompt, decoded together: the prompt is prefilled once and its cache copied into every slot;
     * take i samples with {@code options.get(i)} (its own seed). Take i equals a single generation of the prompt with
     * {@code options.get(i)} (up to the floating-point order of a batched matrix product).
     */
    public List<GenerationResult> takes(PromptTokens prompt, List<GenerationOptions> options, List<GenerationLoop.Observer> observers,
            BooleanSupplier cancelled) {
        int n = checkSizes(options.size(), options, observers);
        BooleanSupplier cancel = cancelled == null ? () -> false : cancelled;
        if (!model.batchable()) return run(java.util.Collections.nCopies(n, prompt), options, observers, cancel);
        List<Sequence> seqs = new ArrayList<>();
        int frames = 1;
        for (int i = 0; i < n; i++) {
            seqs.add(new Sequence(config, ending, prompt, options.get(i), observer(observers, i)));
            frames = Math.max(frames, options.get(i).maxFrames());
        }
        try (AudioLanguageModel.Batch batch = model.newBatch(n, Math.min(prompt.ids().length + frames, model.maxPositions()))) {
            check(cancel);
            long t0 = System.nanoTime();
            float[] first = model.prefill(batch, 0, prompt.ids(), prompt.audioFrames(), 1)[0];
            for (int i = 1; i < n; i++) model.copySlot(batch, 0, i);
            prefillNanos += System.nanoTime() - t0;
            float[][] logits = new float[n][];
            for (int i = 0; i < n; i++) logits[i] = first.clone();
            decode(batch, seqs, logits, cancel);
        }
        List<GenerationResult> out = new ArrayList<>();
        for (Sequence s : seqs) out.add(s.finish());
        return out;
    }

    /** Steps every live slot together until each sequence has ended; slot j holds sequence live[j]. */
    private void decode(AudioLanguageModel.Batch batch, List<Sequence> seqs, float[][] firstLogits, BooleanSupplier cancel) {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) live.add(i);
        float[][] logits = firstLogits;
        while (true) {
            int n = live.size();
            boolean[] goesOn = new boolean[n];
            for (int j = 0; j < n; j++) {
                Sequence s = seqs.get(live.get(j));
                goesOn[j] = !s.done() && s.next(logits[j]);
            }
            compact(model, batch, live, goesOn);
            n = live.size();
            if (n == 0) return;
            check(cancel);
            int[][] frames = new int[n][];
            for (int i = 0; i < n; i++) frames[i] = seqs.get(live.get(i)).lastFrame();
            long t0 = System.nanoTime();
            logits = model.step(batch, frames);
            stepNanos += System.nanoTime() - t0;
            batchSteps++;
            sequenceSteps += n;
        }
    }

    private static int checkSizes(int n, List<GenerationOptions> options, List<GenerationLoop.Observer> observers) {
        if (n < 1) throw new IllegalArgumentException("nothing to generate: no prompts/takes");
        if (options.size() != n) throw new IllegalArgumentException(n + " sequences but " + options.size() + " generation options");
        if (observers != null && observers.size() != n) throw new IllegalArgumentException(n + " sequences but " + observers.size() + " observers");
        return n;
    }

    private static GenerationLoop.Observer observer(List<GenerationLoop.Observer> observers, int i) {
        return observers == null ? null : observers.get(i);
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) throw new CancellationException("generation cancelled");
    }

    /**
     * The last live slot moves into each ended one (its cache rows copied), so steps shrink with the batch;
     * {@code goesOn[j]} says whether slot j goes on, {@code live} is what each slot holds (kept in step).
     */
    static <T> void compact(AudioLanguageModel model, AudioLanguageModel.Batch batch, List<T> live, boolean[] goesOn) {
        int n = live.size(), j = 0;
        while (j < n) {
            if (goesOn[j]) {
                j++;
                continue;
            }
            n--;
            if (j < n) {
                model.copySlot(batch, n, j);
                live.set(j, live.get(n));
                goesOn[j] = goesOn[n];
            }
            live.remove(n);
        }
    }
}
