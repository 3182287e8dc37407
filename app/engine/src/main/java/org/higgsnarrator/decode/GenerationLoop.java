package org.higgsnarrator.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
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
        ModelConfig.SpecialTokens tok = config.tokens();
        int k = config.numCodebooks();
        int expected = prompt.audioPositions(tok.audioOut(), tok.audioIn(), tok.audioDelay());
        if (expected != prompt.audioFrames().length) {
            throw new IllegalArgumentException("prompt has " + expected + " audio positions (<|AUDIO_OUT|> / <|AUDIO|> / delay tokens) but "
                    + prompt.audioFrames().length + " audio frames; the prompt builder must supply one frame per audio position");
        }
        for (int[] f : prompt.audioFrames()) {
            if (f.length != k) throw new IllegalArgumentException("prompt audio frame has " + f.length + " codes; the model has " + k + " codebooks");
        }
        if (observer == null) observer = new Observer() {};
        if (cancelled == null) cancelled = () -> false;

        long[] ids = prompt.ids();
        long[] text = Arrays.copyOf(ids, ids.length + options.maxFrames());
        int textLen = ids.length;
        List<int[]> audio = new ArrayList<>(prompt.audioFrames().length + options.maxFrames());
        audio.addAll(Arrays.asList(prompt.audioFrames()));
        int promptFrames = audio.size();

        DelayPatternProcessor processor = new DelayPatternProcessor(config, ids);
        CodeSampler sampler = new CodeSampler(options, k, config.codebookEntries(), config.streamBos(), config.streamEos(),
                new SplittableRandom(options.seed()));
        DelayReverter reverter = new DelayReverter(k, config.codebookSize());
        OfficialStreamEnd streamEnd = new OfficialStreamEnd(k, config.streamEos());
        List<int[]> codes = new ArrayList<>();
        GenerationResult.Stop stop = GenerationResult.Stop.FRAME_LIMIT;

        int limit = ids.length + options.maxFrames();
        {
            checkCancelled(cancelled);
            float[] logits = session.prefill(prompt, ids.length + Math.min(Math.max(1, expectedFrames), options.maxFrames()));
            for (int step = 0; step < options.maxFrames(); step++) {
                float[] scores = logits.clone();
                processor.apply(scores, text[textLen - 1]);
                int[] frame = sampler.select(scores, logits, audio);
                boolean officialEnd = ending == ReferencePipeline.OFFICIAL && streamEnd.apply(frame);

                boolean anyEos = false, allEos = true;
                for (int c : frame) {
                    anyEos |= c == config.streamEos();
                    allEos &= c == config.streamEos();
                }
                allEos |= officialEnd;
                long placeholder = allEos ? tok.eot() : anyEos || text[textLen - 1] == tok.audioDelay() ? tok.audioDelay() : tok.audioOut();
                text[textLen++] = placeholder;
                audio.add(frame);
                observer.onStep(step, frame, logits);
                emit(observer, codes, reverter.push(frame));
                if (allEos) {
                    stop = GenerationResult.Stop.END_OF_STREAM;
                    break;
                }
                if (step + 1 == options.maxFrames()) break;
                checkCancelled(cancelled);
                logits = session.step(frame, limit);
            }
        }
        // Boson's generation.py L357 keeps [:, 1:-1] of the reverted codes however generation ended
        emit(observer, codes, reverter.finish(stop == GenerationResult.Stop.END_OF_STREAM || ending == ReferencePipeline.OFFICIAL));

        int[][] out = new int[k][codes.size()];
        for (int f = 0; f < codes.size(); f++) {
            for (int c = 0; c < k; c++) out[c][f] = codes.get(f)[c];
        }
        return new GenerationResult(Arrays.copyOf(text, textLen), List.copyOf(audio), promptFrames, out, stop);
    }

    private static void emit(Observer observer, List<int[]> codes, List<int[]> frames) {
        if (frames.isEmpty()) return;
        codes.addAll(frames);
        observer.onFrames(frames);
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) throw new CancellationException("generation cancelled");
    }
}
