package org.higgsnarrator.decode;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.config.ReferencePipeline;

/**
 * Generates one chunk of audio codes, as transformers' {@code HiggsAudioV2GenerationMixin} does for batch size 1:
 * <pre>
 *   logits = prefill(prompt)                                  // last position only
 *   repeat:
 *     scores = delayPattern(copy of logits, last text token)   // BOS/EOS forcing per codebook
 *     frame  = sample(scores) per codebook, then RAS            // greedy or temperature/top-k/top-p
 *     end   = official stream end (below)                         // Boson's release; or: all K codes stream EOS
 *     text  += AUDIO_OUT | delay token | eot                   // eot at the end
 *     stop on eot or at maxFrames; else logits = step(frame)
 * </pre>
 * The model owns its KV cache; the loop holds only the current frame, the frame history (for RAS and the result) and
 * the text stream's placeholders. The model is shared; all per-generation state lives in {@link #run}'s locals.
 */
public final class GenerationLoop {
    private final AudioLanguageModel model;
    private final ModelConfig config;

    /** Receives the generation as it happens; called on the generating thread. */
    public interface Observer {
        /** After each step: its index (0-based), the new delayed frame [K] and the raw logits it was chosen from. */
        default void onStep(int step, int[] delayedFrame, float[] rawLogits) {}

        /** Final audio frames [K] (delay reverted, clipped), in order, as soon as they are complete. */
        default void onFrames(List<int[]> frames) {}
    }

    private final ReferencePipeline ending;

    /** A loop that ends chunks as Boson's release does (see {@link #GenerationLoop(AudioLanguageModel, ReferencePipeline)}). */
    public GenerationLoop(AudioLanguageModel model) {
        this(model, ReferencePipeline.OFFICIAL);
    }

    /**
     * @param ending how a chunk ends. {@code OFFICIAL} (narration): once a codebook emits stream EOS, the codebooks
     *               before it are forced to EOS, each later step forces one more, and generation stops K−1 − idx steps
     *               later, with the last codebook still free; the reverted codes keep {@code [1:-1]} (the BOS frame
     *               and the last frame, whose codebook 0 is the EOS, are dropped) — also at the frame limit.
     *               {@code TRANSFORMERS} (conformance goldens): run until a whole frame is stream EOS, drop the last
     *               frame only then.
     */
    public GenerationLoop(AudioLanguageModel model, ReferencePipeline ending) {
        this.model = model;
        this.config = model.config();
        this.ending = ending;
    }

    /**
     * @param cancelled polled before the prefill and before every step; when it turns true the loop throws
     *                  {@link CancellationException} and releases its state
     */
    public GenerationResult run(PromptTokens prompt, GenerationOptions options, Observer observer, BooleanSupplier cancelled) {
        try (KvSession session = new KvSession(model)) {
            return run(session, prompt, options, options.maxFrames(), observer, cancelled);
        }
    }

    /**
     * Generates on a job's live state: the session keeps what it already holds of the prompt (see {@link KvSession}).
     *
     * @param expectedFrames frames to reserve room for up front (the state grows, up to {@code maxFrames}, if more come)
     * @param cancelled      polled before the prefill and before every step; when it turns true the loop throws
     *                       {@link CancellationException} (the caller owns and closes the session)
     */
    public GenerationResult run(KvSession session, PromptTokens prompt, GenerationOptions options, int expectedFrames, Observer observer,
            BooleanSupplier cancelled) {
        Sequence seq = new Sequence(config, ending, prompt, options, observer);
        if (cancelled == null) cancelled = () -> false;
        int n = prompt.ids().length;
        int limit = n + options.maxFrames();
        checkCancelled(cancelled);
        float[] logits = session.prefill(prompt, n + Math.min(Math.max(1, expectedFrames), options.maxFrames()));
        while (!seq.done() && seq.next(logits)) {
            checkCancelled(cancelled);
            logits = session.step(seq.lastFrame(), limit);
        }
        return seq.finish();
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) throw new CancellationException("generation cancelled");
    }
}
