package org.higgsnarrator.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.higgsnarrator.decode.GenerationLoop;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.decode.PromptTokens;

/**
 * One narration: its chunks, the context buffer of generated chunks, the audio so far. Created by
 * {@link Narrator#newJob}; {@link #run} generates on the calling thread, {@link #cancel} may be called from any
 * thread and takes effect before the next model call (prefill or step).
 */
public final class SynthesisJob {
    private final Narrator narrator;
    private final SynthesisRequest request;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Progress progress;

    SynthesisJob(Narrator narrator, SynthesisRequest request) {
        this.narrator = narrator;
        this.request = request;
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** The latest progress, for polling from another thread (a UI timer); null before the first frame. */
    public Progress progress() {
        return progress;
    }

    /**
     * Generates every chunk, streaming audio and progress to the listener.
     *
     * @throws CancellationException when {@link #cancel} was called; audio already delivered stays delivered
     */
    public SynthesisResult run(SynthesisListener listener) {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("a synthesis job runs once; create a new job");
        if (listener == null) listener = new SynthesisListener() {};
        GenerationOptions options = request.options() != null ? request.options() : narrator.defaultOptions();
        List<ScriptChunk> chunks = LexiconStep.apply(request, narrator.splitter().split(request.script(), options.chunkMaxWords()));
        if (chunks.isEmpty()) throw new IllegalArgumentException("the script has no words to narrate");
        ConversationPlanner planner = new ConversationPlanner(request.voices(), request.scene(), chunks);
        WaveformDecoder decoder = narrator.decoder();
        int rate = decoder.sampleRate();
        double framesPerSecond = (double) rate / decoder.samplesPerFrame();

        long totalWords = chunks.stream().mapToLong(ScriptChunk::words).sum();
        Meter meter = new Meter(System.nanoTime(), chunks.size(), totalWords, framesPerSecond);
        ArrayDeque<ConversationPlanner.Generated> context = new ArrayDeque<>();
        Pcm pcm = new Pcm();
        List<ChunkResult> results = new ArrayList<>();
        GenerationLoop loop = new GenerationLoop(narrator.model());

        for (int i = 0; i < chunks.size(); i++) {
            if (cancelled.get()) throw new CancellationException("synthesis cancelled");
            ScriptChunk chunk = chunks.get(i);
            listener.onChunkStart(i, chunks.size(), chunk);
            PromptTokens prompt = narrator.renderer().render(planner.conversation(chunk, List.copyOf(context)));
            long before = pcm.size;
            GenerationResult r;
            final SynthesisListener l = listener;
            final int index = i;
            try (WaveformDecoder.Stream stream = decoder.open()) {
                GenerationLoop.Observer observer = new GenerationLoop.Observer() {
                    @Override
                    public void onFrames(List<int[]> frames) {
                        for (int[] f : frames) {
                            deliver(stream.push(f), pcm, l, rate);
                            meter.frame();
                            progress = meter.progress(index);
                            l.onProgress(progress);
                        }
                    }
                };
                // Each chunk draws from its own seeded stream so that a take is reproducible chunk by chunk.
                r = loop.run(prompt, options.withSeed(options.seed() + i), observer, cancelled::get);
                deliver(stream.finish(), pcm, listener, rate);
            }
            meter.chunkDone(chunk.words());
            ChunkResult cr = new ChunkResult(chunk, r.codes(), r.stop(), pcm.size - before);
            results.add(cr);
            listener.onChunkDone(i, cr);
            if (options.chunkBufferSize() > 0 && r.frames() > 0) {
                context.addLast(new ConversationPlanner.Generated(planner.userText(chunk), r.codes()));
                while (context.size() > options.chunkBufferSize()) context.removeFirst();
            }
        }
        progress = meter.progress(chunks.size() - 1);
        listener.onProgress(progress);
        return new SynthesisResult(pcm.toArray(), rate, List.copyOf(results));
    }

    private static void deliver(float[] samples, Pcm pcm, SynthesisListener listener, int rate) {
        if (samples == null || samples.length == 0) return;
        pcm.add(samples);
        listener.onAudio(samples, rate);
    }

    /** The job's audio, grown as chunks stream in. */
    private static final class Pcm {
        float[] data = new float[1 << 16];
        int size;

        void add(float[] s) {
            if (size + s.length > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, size + s.length));
            System.arraycopy(s, 0, data, size, s.length);
            size += s.length;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /**
     * Speaking rate assumed until the first chunk has finished (about 155 words per minute, an audiobook pace); after
     * that the job's own frames per word count.
     */
    static final double WORDS_PER_SECOND_PRIOR = 2.6;

    /** Progress bookkeeping: frames, ×real-time and the ETA estimate. */
    private static final class Meter {
        final long start;
        final int chunks;
        final long totalWords;
        final double framesPerSecond;
        long frames, wordsDone, framesOfDoneChunks;

        Meter(long start, int chunks, long totalWords, double framesPerSecond) {
            this.start = start;
            this.chunks = chunks;
            this.totalWords = totalWords;
            this.framesPerSecond = framesPerSecond;
        }

        void frame() {
            frames++;
        }

        void chunkDone(int words) {
            wordsDone += words;
            framesOfDoneChunks = frames;
        }

        Progress progress(int chunk) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            double audio = frames / framesPerSecond;
            double eta = Double.NaN;
            if (frames > 0 && elapsed > 0) {
                double framesPerWord = wordsDone > 0 ? (double) framesOfDoneChunks / wordsDone : framesPerSecond / WORDS_PER_SECOND_PRIOR;
                double remainingFrames = Math.max(0, (totalWords * framesPerWord) - frames);
                eta = remainingFrames / (frames / elapsed);
            }
            return new Progress(chunk, chunks, frames, audio, elapsed, elapsed > 0 ? audio / elapsed : 0, eta);
        }
    }
}
