package org.higgsnarrator.engine;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.higgsnarrator.decode.BatchScheduler;
import org.higgsnarrator.decode.GenerationLoop;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.decode.PromptTokens;

/**
 * One prompt as a caller laid it out (a {@link Conversation}: system, scene, reference and context turns, the text to
 * speak), generated as one chunk: what a chat-completion request to {@code narrator serve} asks for, where the client
 * (not {@link ConversationPlanner}) decides the turns. Runs on the calling thread, streams audio to the listener like
 * {@link SynthesisJob} does for one chunk, and draws from {@code options.seed()} as is (a script's chunk i uses seed + i,
 * so a client that sends seed + i gets the local take sample for sample). {@link #cancel} from any thread stops before the
 * next model call.
 */
public final class ConversationJob {
    private final Narrator narrator;
    private final Conversation conversation;
    private final GenerationOptions options;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public ConversationJob(Narrator narrator, Conversation conversation, GenerationOptions options) {
        this.narrator = narrator;
        this.conversation = conversation;
        this.options = options == null ? GenerationOptions.defaults() : options;
    }

    /** The finished chunk: its audio, how generation ended, and the prompt's length in tokens (for usage reports). */
    public record Result(float[] pcm, int sampleRate, GenerationResult.Stop stop, int frames, int promptTokens) {
        public double seconds() {
            return (double) pcm.length / sampleRate;
        }
    }

    /** Receives audio as frames are decoded. */
    @FunctionalInterface
    public interface AudioSink {
        void accept(float[] samples, int sampleRate);
    }

    public void cancel() {
        cancelled.set(true);
    }

    /**
     * @throws CancellationException after {@link #cancel}
     * @throws IllegalArgumentException when the prompt cannot be rendered (e.g. a clip with the wrong codebook count)
     */
    public Result run(AudioSink sink) {
        return run(sink, null);
    }

    /**
     * As {@link #run(AudioSink)}, decoded together with other jobs by {@code batch} (the server's continuous batching)
     * when it is not null: the prompt is rendered and the audio decoded on this thread, the decode steps run in the
     * scheduler's batch. The codes are this job's alone (its own seed and sampler).
     */
    public Result run(AudioSink sink, BatchScheduler batch) {
        if (cancelled.get()) throw new CancellationException("synthesis cancelled");
        PromptTokens prompt = narrator.renderer().render(conversation);
        WaveformDecoder decoder = narrator.decoder();
        int rate = decoder.sampleRate();
        float[][] pcm = {new float[1 << 15]};
        int[] size = {0};
        AudioSink collect = (s, r) -> {
            if (s == null || s.length == 0) return;
            if (size[0] + s.length > pcm[0].length) pcm[0] = Arrays.copyOf(pcm[0], Math.max(pcm[0].length * 2, size[0] + s.length));
            System.arraycopy(s, 0, pcm[0], size[0], s.length);
            size[0] += s.length;
            if (sink != null) sink.accept(s, r);
        };
        GenerationResult r;
        try (WaveformDecoder.Stream stream = decoder.open()) {
            GenerationLoop.Observer observer = new GenerationLoop.Observer() {
                @Override
                public void onFrames(List<int[]> frames) {
                    for (int[] f : frames) collect.accept(stream.push(f), rate);
                }
            };
            r = batch == null ? new GenerationLoop(narrator.model()).run(prompt, options, observer, cancelled::get)
                    : batch.generate(prompt, options, observer, cancelled::get);
            collect.accept(stream.finish(), rate);
        }
        return new Result(Arrays.copyOf(pcm[0], size[0]), rate, r.stop(), r.frames(), prompt.ids().length);
    }
}
