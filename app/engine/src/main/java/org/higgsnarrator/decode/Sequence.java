package org.higgsnarrator.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.config.ReferencePipeline;

/**
 * One sequence being generated: everything per sequence that {@link GenerationLoop} (one sequence) and
 * {@link BatchGenerationLoop} (one slot each) keep between steps — the text stream's placeholders, the frame history
 * (for RAS and the result), the delay-pattern processor, the sampler with its own seeded RNG, the official stream end,
 * the delay reverter and the stop state. The model and its KV cache are not here: the loops own them.
 */
final class Sequence {
    private final ModelConfig config;
    private final ReferencePipeline ending;
    private final GenerationLoop.Observer observer;
    private final int maxFrames;
    private final long[] text;
    private int textLen;
    private final List<int[]> audio;
    private final int promptFrames;
    private final DelayPatternProcessor processor;
    private final CodeSampler sampler;
    private final DelayReverter reverter;
    private final OfficialStreamEnd streamEnd;
    private final List<int[]> codes = new ArrayList<>();
    private GenerationResult.Stop stop = GenerationResult.Stop.FRAME_LIMIT;
    private int step;
    private boolean done;

    Sequence(ModelConfig config, ReferencePipeline ending, PromptTokens prompt, GenerationOptions options, GenerationLoop.Observer observer) {
        this.config = config;
        this.ending = ending;
        this.observer = observer == null ? new GenerationLoop.Observer() {} : observer;
        this.maxFrames = options.maxFrames();
        check(config, prompt);
        int k = config.numCodebooks();
        long[] ids = prompt.ids();
        this.text = Arrays.copyOf(ids, ids.length + options.maxFrames());
        this.textLen = ids.length;
        this.audio = new ArrayList<>(prompt.audioFrames().length + options.maxFrames());
        audio.addAll(Arrays.asList(prompt.audioFrames()));
        this.promptFrames = audio.size();
        this.processor = new DelayPatternProcessor(config, ids);
        this.sampler = new CodeSampler(options, k, config.codebookEntries(), config.streamBos(), config.streamEos(), new SplittableRandom(options.seed()));
        this.reverter = new DelayReverter(k, config.codebookSize());
        this.streamEnd = new OfficialStreamEnd(k, config.streamEos());
        if (maxFrames == 0) done = true;
    }

    /** The prompt must hold one frame of K codes per audio position. */
    static void check(ModelConfig config, PromptTokens prompt) {
        ModelConfig.SpecialTokens tok = config.tokens();
        int expected = prompt.audioPositions(tok.audioOut(), tok.audioIn(), tok.audioDelay());
        if (expected != prompt.audioFrames().length) {
            throw new IllegalArgumentException("prompt has " + expected + " audio positions (<|AUDIO_OUT|> / <|AUDIO|> / delay tokens) but "
                    + prompt.audioFrames().length + " audio frames; the prompt builder must supply one frame per audio position");
        }
        for (int[] f : prompt.audioFrames()) {
            if (f.length != config.numCodebooks()) {
                throw new IllegalArgumentException("prompt audio frame has " + f.length + " codes; the model has " + config.numCodebooks() + " codebooks");
            }
        }
    }

    /**
     * Chooses the next frame from the logits of the last position fed, records it and says whether generation goes
     * on: false after an end of stream or at the frame limit (then the frame is not fed to the model).
     */
    boolean next(float[] logits) {
        if (done) throw new IllegalStateException("the sequence has ended");
        ModelConfig.SpecialTokens tok = config.tokens();
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
        emit(reverter.push(frame));
        step++;
        if (allEos) {
            stop = GenerationResult.Stop.END_OF_STREAM;
            done = true;
        } else if (step == maxFrames) {
            done = true;
        }
        return !done;
    }

    /** The frame chosen last (delay pattern applied): what the model is fed next. */
    int[] lastFrame() {
        return audio.getLast();
    }

    boolean done() {
        return done;
    }

    /** Ends the sequence (its last frames reverted and emitted) and returns what it generated. */
    GenerationResult finish() {
        // Boson's generation.py L357 keeps [:, 1:-1] of the reverted codes however generation ended
        emit(reverter.finish(stop == GenerationResult.Stop.END_OF_STREAM || ending == ReferencePipeline.OFFICIAL));
        int k = config.numCodebooks();
        int[][] out = new int[k][codes.size()];
        for (int f = 0; f < codes.size(); f++) {
            for (int c = 0; c < k; c++) out[c][f] = codes.get(f)[c];
        }
        return new GenerationResult(Arrays.copyOf(text, textLen), List.copyOf(audio), promptFrames, out, stop);
    }

    private void emit(List<int[]> frames) {
        if (frames.isEmpty()) return;
        codes.addAll(frames);
        observer.onFrames(frames);
    }
}
