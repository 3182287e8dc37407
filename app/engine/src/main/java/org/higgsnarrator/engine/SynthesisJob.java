package org.higgsnarrator.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.decode.BatchScheduler;
import org.higgsnarrator.decode.GenerationLoop;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.decode.KvSession;
import org.higgsnarrator.decode.PromptTokens;

/**
 * One narration: its chunks, the context buffer of generated chunks, one codec stream for the whole job. Created by
 * {@link Narrator#newJob}; {@link #run} generates on the calling thread, {@link #cancel} may be called from any
 * thread and takes effect before the next model call (prefill or step).
 *
 * <p>Long form (docs/engine.md "A chapter"): before each chunk the conversation is fitted into the package's context
 * (oldest buffered chunks dropped first, then the frame budget shortened, each said through
 * {@link SynthesisListener#onNote}); the KV state lives across chunks in a {@link KvSession}, which prefills only what
 * differs from the positions it already holds (the system, scene and reference turns are computed once per job); every
 * chunk's frames go through one decoder stream, so the job's audio is the decode of all its codes concatenated, as the
 * release decodes them (boson-ai/higgs-audio examples/generation.py, {@code HiggsAudioModelClient.generate}). With a
 * {@link RenderCheckpoint} the audio streams to disk, nothing accumulates in memory, and finished chunks are skipped
 * when the same job runs again.
 */
public final class SynthesisJob {
    private static final Logger LOG = Logger.getLogger(SynthesisJob.class.getName());
    /** Room reserved beyond a chunk's expected frames: the KV state grows (by half) if a chunk runs longer. */
    static final double EXPECTED_FRAMES_MARGIN = 1.3;
    static final int EXPECTED_FRAMES_SLACK = 32;

    private final Narrator narrator;
    private final SynthesisRequest request;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Progress progress;
    private List<ScriptChunk> chunks;
    private volatile KvSession session;
    private int rebases;

    /** False only to measure the behaviour before the prefix cache ({@link ChapterBench}'s {@code before:N}). */
    private boolean prefixReuse = true;

    SynthesisJob withoutPrefixReuse() {
        prefixReuse = false;
        return this;
    }

    /**
     * Judges a chunk's take right after it is generated, so that a flagged take is rendered again before anything
     * after it: take QA with re-rolls ({@code qa.ChunkRetakes}), streamed and resumable like any job.
     */
    public interface TakeJudge {
        /**
         * @param attempt 0 for the first take, then 1.. for re-rolls
         * @param audio   the take decoded on its own (not joined to its neighbours)
         */
        Verdict judge(int index, int attempt, ScriptChunk chunk, float[] audio, int sampleRate, int[][] codes, boolean hitFrameLimit);

        /** Told which take of chunk {@code index} was kept, and how many were rendered. */
        void kept(int index, int attempt, int takesRendered);

        /** @param score lower is better; the best-scoring take is kept */
        record Verdict(boolean flagged, double score, String reason) {}
    }

    private TakeJudge judge;
    private int maxRetakes;

    /**
     * Re-renders each chunk the judge flags, with new seeds, up to {@code maxRetakes} times or until a take comes out
     * clean, and keeps the best-scoring take. Re-rolls keep the chunk's context (the previous chunks, as the first take
     * had it). The first take of every chunk is the one a job without retakes renders (same seed).
     */
    public SynthesisJob withRetakes(TakeJudge judge, int maxRetakes) {
        if (started.get()) throw new IllegalStateException("set retakes before the job runs");
        if (maxRetakes < 0) throw new IllegalArgumentException("retakes must be 0 or more, got " + maxRetakes);
        this.judge = judge;
        this.maxRetakes = maxRetakes;
        return this;
    }

    private BatchScheduler batch;

    /**
     * Decodes this job's chunks in {@code batch}, together with whatever other jobs run in it at the same time (a book's
     * segments rendered several at once, {@code render.BookRender}): each chunk's prompt is prefilled whole into a slot
     * of the batch (no prefix reuse from the previous chunk), and each chunk's codes are those it gets alone, up to the
     * floating-point order of a batched matrix product (docs/engine.md "Batched decoding"). The audio is still decoded
     * and delivered on the thread that runs the job.
     */
    public SynthesisJob decodeIn(BatchScheduler batch) {
        if (started.get()) throw new IllegalStateException("choose the batch before the job runs");
        this.batch = batch;
        return this;
    }

    /** The seed of take {@code attempt} of chunk {@code index}: first takes use seed + index, re-rolls seeds no first take uses. */
    static long seedOf(long seed, int index, int attempt) {
        return seed + 100_003L * attempt + index;
    }

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

    /** The request's options, or the model package's defaults when it has none. */
    GenerationOptions options() {
        return request.options() != null ? request.options() : narrator.defaultOptions();
    }

    /** The script's chunks, as the job generates them. */
    public List<ScriptChunk> chunks() {
        if (chunks == null) {
            List<ScriptChunk> c = LexiconStep.apply(request, narrator.splitter().split(request.script(), options().chunkMaxWords()));
            if (c.isEmpty()) throw new IllegalArgumentException("the script has no words to narrate");
            chunks = List.copyOf(c);
        }
        return chunks;
    }

    /**
     * What identifies this job's output: the chunks' texts, the voices, the scene, the options and the model. A
     * checkpoint resumes only the same job.
     */
    public String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder("v1\n").append(narrator.modelId()).append('\n').append(narrator.config()).append('\n')
                    .append(options()).append('\n').append(request.scene()).append('\n');
            if (judge != null) sb.append("retakes ").append(maxRetakes).append('\n'); // kept takes differ from a plain job's
            if (request.clipPlacement() != ConversationPlanner.ClipPlacement.OFFICIAL) sb.append("clips ").append(request.clipPlacement()).append('\n');
            for (ScriptChunk c : chunks()) sb.append(c).append('\n');
            md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            for (var e : request.voices().entrySet()) {
                Voice v = e.getValue();
                md.update((e.getKey() + "\u0000" + v.transcript() + "\u0000" + v.description() + "\u0000").getBytes(StandardCharsets.UTF_8));
                if (v.hasReference()) for (int[] row : v.referenceCodes()) for (int x : row) md.update(new byte[] {(byte) (x >> 24), (byte) (x >> 16), (byte) (x >> 8), (byte) x});
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where a finished (or stopped) job's time went: wall time, prefill (positions computed and positions taken from the
     * live state), decode steps and the context they attended over, the codec; for benchmarks.
     */
    public record Stats(double wallSeconds, double prefillSeconds, long prefilledPositions, long reusedPositions, double decodeSeconds, long steps,
            long attendedPositions, double codecSeconds, int rebases) {
        public double meanContext() {
            return steps == 0 ? 0 : (double) attendedPositions / steps;
        }
    }

    private volatile Stats stats;

    /** The last run's {@link Stats}; null before it ends. */
    public Stats stats() {
        return stats;
    }

    /** How often carry-over re-based the context to the last chunk. */
    public int rebases() {
        return rebases;
    }

    /** The live KV session while the job runs (for tests and benchmarks); null before and after. */
    KvSession session() {
        return session;
    }

    /**
     * Generates every chunk, streaming audio and progress to the listener; the result holds the whole audio (for
     * segment-sized jobs: a book goes through {@link #run(SynthesisListener, RenderCheckpoint)}).
     *
     * @throws CancellationException when {@link #cancel} was called; audio already delivered stays delivered
     */
    public SynthesisResult run(SynthesisListener listener) {
        return run(listener, null);
    }

    /**
     * Generates the chunks the checkpoint does not hold yet, writing the audio into it as it comes; the result's PCM is
     * empty (the audio is the checkpoint's {@link RenderCheckpoint#audioFile}) and its chunks carry no codes.
     *
     * @param checkpoint null to keep the audio in the result instead
     * @throws CancellationException when {@link #cancel} was called; finished chunks stay in the checkpoint
     */
    public SynthesisResult run(SynthesisListener listener, RenderCheckpoint checkpoint) {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("a synthesis job runs once; create a new job");
        if (listener == null) listener = new SynthesisListener() {};
        GenerationOptions options = options();
        List<ScriptChunk> chunks = chunks();
        ConversationPlanner planner = request.planner(chunks);
        WaveformDecoder decoder = narrator.decoder();
        AudioLanguageModel model = narrator.model();
        int rate = decoder.sampleRate(), k = model.config().numCodebooks();
        double framesPerSecond = (double) rate / decoder.samplesPerFrame();
        boolean keep = checkpoint == null;

        long totalWords = chunks.stream().mapToLong(ScriptChunk::words).sum();
        Meter meter = new Meter(System.nanoTime(), chunks.size(), totalWords, framesPerSecond);
        ArrayDeque<ConversationPlanner.Generated> context = new ArrayDeque<>();
        Pcm pcm = keep ? new Pcm() : null;
        List<ChunkResult> results = new ArrayList<>();
        GenerationLoop loop = new GenerationLoop(model);
        int first = 0;
        WaveformDecoder.Stream stream;
        if (checkpoint != null && checkpoint.done() > 0) {
            first = checkpoint.done();
            RenderCheckpoint.Replay replay;
            try {
                replay = checkpoint.replay(decoder.contextFrames(), k);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the finished chunks in " + checkpoint.folder() + ": " + e.getMessage(), e);
            }
            for (RenderCheckpoint.Chunk c : replay.lastChunks()) {
                context.addLast(new ConversationPlanner.Generated(planner.userText(chunks.get(c.index())), c.codes()));
            }
            long words = 0;
            for (int i = 0; i < first; i++) words += chunks.get(i).words();
            meter.resumed(replay.frames(), words);
            stream = decoder.resume(replay.decoderTail(), replay.tailStart(), replay.emittedFrames());
            listener.onResume(first, chunks.size());
        } else {
            stream = decoder.open();
        }
        Delivery out = new Delivery(listener, pcm, checkpoint, rate);
        KvSession kv = new KvSession(model);
        if (!prefixReuse) kv.withoutReuse();
        session = kv;
        try (stream; kv) {
            for (int i = first; i < chunks.size(); i++) {
                if (cancelled.get()) throw new CancellationException("synthesis cancelled");
                ScriptChunk chunk = chunks.get(i);
                listener.onChunkStart(i, chunks.size(), chunk);
                Plan plan = plan(i, chunk, planner, context, options, model.maxPositions(), listener);
                int expected = (int) Math.min(plan.budget, Math.ceil(chunk.words() * meter.framesPerWord() * EXPECTED_FRAMES_MARGIN) + 2L * k + EXPECTED_FRAMES_SLACK);
                final int index = i;
                long before = out.samples;
                GenerationResult r;
                if (judge == null) {
                    GenerationLoop.Observer observer = new GenerationLoop.Observer() {
                        @Override
                        public void onFrames(List<int[]> frames) {
                            pushFrames(stream, frames, out, meter, index);
                        }
                    };
                    // Each chunk draws from its own seeded stream so that a take is reproducible chunk by chunk (and a
                    // resumed job renders its remaining chunks as the uninterrupted one would).
                    r = generate(loop, kv, plan.prompt, options.withSeed(seedOf(options.seed(), i, 0)).withMaxFrames(plan.budget), expected, observer);
                } else {
                    r = bestTake(loop, kv, plan, options, expected, i, chunk, decoder, listener);
                    pushFrames(stream, framesOf(r.codes()), out, meter, index);
                }
                meter.chunkDone(chunk.words());
                if (r.frames() > 0 && (options.carriesContext() || options.chunkBufferSize() > 0)) {
                    context.addLast(new ConversationPlanner.Generated(planner.userText(chunk), r.codes()));
                    if (!options.carriesContext()) while (context.size() > options.chunkBufferSize()) context.removeFirst();
                }
                if (checkpoint != null) checkpoint.chunkDone(i, r.stop(), r.codes(), stream.emittedFrames(), context.size());
                ChunkResult cr = new ChunkResult(chunk, keep ? r.codes() : new int[k][0], r.stop(), out.samples - before);
                results.add(cr);
                listener.onChunkDone(i, new ChunkResult(chunk, r.codes(), r.stop(), cr.samples()));
            }
            long c0 = System.nanoTime();
            float[] tail = stream.finish();
            out.codecNanos += System.nanoTime() - c0;
            out.deliver(tail);
            if (checkpoint != null) checkpoint.flush();
        } finally {
            session = null;
            stats = new Stats((System.nanoTime() - meter.start) / 1e9, kv.prefillSeconds(), kv.prefilledPositions(), kv.reusedPositions(), kv.stepSeconds(),
                    kv.steps(), kv.attendedPositions(), out.codecNanos / 1e9, rebases);
        }
        progress = meter.progress(chunks.size() - 1);
        listener.onProgress(progress);
        return new SynthesisResult(keep ? pcm.toArray() : new float[0], rate, List.copyOf(results));
    }

    /** One chunk's take: on the job's own KV session, or in the batch it decodes in ({@link #decodeIn}). */
    private GenerationResult generate(GenerationLoop loop, KvSession kv, PromptTokens prompt, GenerationOptions options, int expected,
            GenerationLoop.Observer observer) {
        return batch == null ? loop.run(kv, prompt, options, expected, observer, cancelled::get)
                : batch.generate(prompt, options, expected, observer, cancelled::get);
    }

    /** Pushes generated frames through the job's one codec stream and delivers their audio; progress per frame. */
    private void pushFrames(WaveformDecoder.Stream stream, List<int[]> frames, Delivery out, Meter meter, int index) {
        for (int[] f : frames) {
            long c0 = System.nanoTime();
            float[] samples = stream.push(f);
            out.codecNanos += System.nanoTime() - c0;
            out.deliver(samples);
            meter.frame();
            progress = meter.progress(index);
            out.listener.onProgress(progress);
        }
    }

    /**
     * Renders chunk {@code index} until the judge passes a take or the retakes run out, from the same prompt (the KV
     * state keeps the prompt: a re-roll prefills nothing again); returns the best-scoring take, not yet delivered.
     */
    private GenerationResult bestTake(GenerationLoop loop, KvSession kv, Plan plan, GenerationOptions options, int expected, int index, ScriptChunk chunk,
            WaveformDecoder decoder, SynthesisListener listener) {
        GenerationResult best = null;
        TakeJudge.Verdict bestVerdict = null;
        int bestAttempt = 0, rendered = 0;
        for (int attempt = 0; attempt <= maxRetakes && (bestVerdict == null || bestVerdict.flagged()); attempt++) {
            if (attempt > 0) listener.onRetake(index, attempt, maxRetakes, bestVerdict.reason());
            GenerationResult r = generate(loop, kv, plan.prompt, options.withSeed(seedOf(options.seed(), index, attempt)).withMaxFrames(plan.budget), expected,
                    new GenerationLoop.Observer() {});
            rendered++;
            TakeJudge.Verdict v = judge.judge(index, attempt, chunk, decodeAlone(decoder, r.codes()), decoder.sampleRate(), r.codes(),
                    r.stop() == GenerationResult.Stop.FRAME_LIMIT);
            if (best == null || v.score() < bestVerdict.score()) {
                best = r;
                bestVerdict = v;
                bestAttempt = attempt;
            }
        }
        judge.kept(index, bestAttempt, rendered);
        return best;
    }

    /** Codes [K][F] as the F frames [K] a codec stream takes. */
    private static List<int[]> framesOf(int[][] codes) {
        int k = codes.length, n = k == 0 ? 0 : codes[0].length;
        List<int[]> frames = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            int[] frame = new int[k];
            for (int c = 0; c < k; c++) frame[c] = codes[c][f];
            frames.add(frame);
        }
        return frames;
    }

    /** A take's audio decoded on its own, for judging it (the job's stream decodes the kept take joined to its neighbours). */
    private static float[] decodeAlone(WaveformDecoder decoder, int[][] codes) {
        Pcm pcm = new Pcm();
        try (WaveformDecoder.Stream s = decoder.open()) {
            for (int[] frame : framesOf(codes)) pcm.add(s.push(frame));
            pcm.add(s.finish());
        }
        return pcm.toArray();
    }

    /** A chunk's prompt and frame budget, fitted into the model's context. */
    record Plan(PromptTokens prompt, int budget) {}

    /**
     * Fits the chunk's conversation and its frame budget into {@code maxPositions}: drops the oldest buffered chunks
     * first (from {@code context} itself: later chunks no longer carry them either), then shortens the budget; says so.
     */
    Plan plan(int index, ScriptChunk chunk, ConversationPlanner planner, ArrayDeque<ConversationPlanner.Generated> context, GenerationOptions options,
            int maxPositions, SynthesisListener listener) {
        int budget = options.maxFrames(), dropped = 0, k = narrator.config().numCodebooks();
        PromptTokens prompt;
        if (options.carriesContext() && context.size() > 1) {
            prompt = narrator.renderer().render(planner.conversation(chunk, List.copyOf(context)));
            if (prompt.ids().length > options.contextTokens()) {
                // carry-over's re-base: the prefix (system, scene, references) + the last chunk; later chunks grow from there
                while (context.size() > 1) context.removeFirst();
                rebases++;
                LOG.fine("chunk " + (index + 1) + ": context re-based to the last chunk (the prompt passed " + options.contextTokens() + " positions)");
            }
        }
        while (true) {
            prompt = narrator.renderer().render(planner.conversation(chunk, List.copyOf(context)));
            if ((long) prompt.ids().length + budget <= maxPositions || context.isEmpty()) break;
            context.removeFirst();
            dropped++;
        }
        int n = prompt.ids().length;
        if (dropped > 0) {
            note(listener, String.format("chunk %d: context cut to %d previous chunk(s) (the oldest %d dropped) so that its prompt (%d positions) and up to %d frames"
                    + " fit the model's context of %d positions", index + 1, context.size(), dropped, n, budget, maxPositions));
        }
        if ((long) n + budget > maxPositions) {
            int shortened = maxPositions - n;
            // below K + 2 frames not even an empty clip (BOS, EOS and the delay tail) fits
            if (shortened < k + 2) {
                throw new IllegalStateException("chunk " + (index + 1) + ": its prompt alone (system, scene, reference clips and "
                        + chunk.words() + " words) takes " + n + " of the model's " + maxPositions + " positions; use shorter reference clips,"
                        + " fewer words per chunk (--chunk-words), or a package exported with a larger --max-context");
            }
            note(listener, String.format("chunk %d: frame budget cut from %d to %d frames (%.0f s) so that it fits the model's context of %d positions"
                    + " after its %d-position prompt", index + 1, budget, shortened, shortened / 25.0, maxPositions, n));
            budget = shortened;
        }
        return new Plan(prompt, budget);
    }

    private static void note(SynthesisListener listener, String message) {
        LOG.fine(message); // the listener shows it (narrate prints it); the log keeps it for embedders
        listener.onNote(message);
    }

    /** Where the job's samples go: the listener, and the result's PCM or the checkpoint's audio file. */
    private static final class Delivery {
        final SynthesisListener listener;
        final Pcm pcm;
        final RenderCheckpoint checkpoint;
        final int rate;
        long samples, codecNanos;

        Delivery(SynthesisListener listener, Pcm pcm, RenderCheckpoint checkpoint, int rate) {
            this.listener = listener;
            this.pcm = pcm;
            this.checkpoint = checkpoint;
            this.rate = rate;
        }

        void deliver(float[] s) {
            if (s == null || s.length == 0) return;
            if (pcm != null) pcm.add(s);
            if (checkpoint != null) checkpoint.audio(s);
            samples += s.length;
            listener.onAudio(s, rate);
        }
    }

    /** The job's audio, grown as chunks stream in (only when the result holds it). */
    private static final class Pcm {
        float[] data = new float[1 << 16];
        int size;

        void add(float[] s) {
            if (s == null) return;
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
        long frames, wordsDone, framesOfDoneChunks, resumedFrames;

        Meter(long start, int chunks, long totalWords, double framesPerSecond) {
            this.start = start;
            this.chunks = chunks;
            this.totalWords = totalWords;
            this.framesPerSecond = framesPerSecond;
        }

        void frame() {
            frames++;
        }

        /** Chunks finished by an earlier run: they count as done, not as this run's speed. */
        void resumed(long frames, long words) {
            this.frames = frames;
            this.resumedFrames = frames;
            this.framesOfDoneChunks = frames;
            this.wordsDone = words;
        }

        double framesPerWord() {
            return wordsDone > 0 && framesOfDoneChunks > 0 ? (double) framesOfDoneChunks / wordsDone : framesPerSecond / WORDS_PER_SECOND_PRIOR;
        }

        void chunkDone(int words) {
            wordsDone += words;
            framesOfDoneChunks = frames;
        }

        Progress progress(int chunk) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            double audio = frames / framesPerSecond;
            long mine = frames - resumedFrames;
            double eta = Double.NaN;
            if (mine > 0 && elapsed > 0) {
                double remainingFrames = Math.max(0, (totalWords * framesPerWord()) - frames);
                eta = remainingFrames / (mine / elapsed);
            }
            return new Progress(chunk, chunks, frames, audio, elapsed, elapsed > 0 ? mine / framesPerSecond / elapsed : 0, eta);
        }
    }
}
