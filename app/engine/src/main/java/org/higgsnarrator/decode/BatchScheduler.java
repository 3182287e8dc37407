package org.higgsnarrator.decode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.config.ReferencePipeline;

/**
 * Continuous batching: generations submitted from many threads are decoded together on one scheduler thread, one
 * batched decode step ({@link AudioLanguageModel#step(AudioLanguageModel.Batch, int[][])}) per frame for every
 * sequence in flight. Used by {@code narrator serve} (docs/serving.md "Batched decoding of concurrent requests").
 *
 * <ul>
 *   <li>Each submitted prompt is prefilled into a free slot of the batch ({@link AudioLanguageModel#clearSlot}, then
 *   the batch-1 prefill graph on that slot), <b>also while other slots are decoding</b>: it joins at the next step.</li>
 *   <li>Each sequence keeps its own sampler and seed, delay pattern, stop state and position ({@link Sequence}, the
 *   same class {@link GenerationLoop} runs), so a generation's codes are those it gets alone, up to the floating-point
 *   order of a batched matrix product (docs/engine.md "Batched decoding").</li>
 *   <li>A sequence that ends (or is cancelled) leaves the batch at once: the last live slot is copied into its place,
 *   as {@link BatchGenerationLoop} does, and its slot is free for the next waiting prompt.</li>
 *   <li>The batch's KV capacity is chosen when it starts from what the waiting prompts need (prompt + frame limit, or
 *   + the frames the caller expects where it says so, rounded up to {@value #CAPACITY_STEP} positions, at most the
 *   model's context). A prompt that needs more than the running batch holds waits until the batch has drained (no later
 *   prompt overtakes it); then a larger batch starts. A sequence that runs past its expected frames grows the running
 *   batch ({@link AudioLanguageModel#grow}: the cache copied into a larger one, by {@value #CAPACITY_STEP} positions),
 *   so it is never cut short; expecting frames keeps a batch of long-limit jobs (a book's segments) from holding a
 *   cache of the whole frame limit per slot.</li>
 *   <li>A batch keeps one more slot than it decodes: the <b>shared prefix</b>, the part before its own turn
 *   ({@link PromptPositions#ownTurnStart}: system, scene, a cloned voice's transcript and clip) of the last prompt that
 *   did not start like it, prefilled in a call of its own. A prompt whose part before its own turn is the shared
 *   prefix (at least {@value PromptPositions#MIN_PREFIX} positions: a book's segments in one voice) gets those rows
 *   copied ({@link AudioLanguageModel#copyPrefix}) and prefills its own turn — the two calls a single render makes on
 *   its own KV session ({@link KvSession}), so a take has the same bits either way.</li>
 * </ul>
 * The caller's thread blocks in {@link #generate} and receives its observer's callbacks there, in order (the scheduler
 * thread only queues them), so per-request work such as decoding frames to audio stays on the caller's thread.
 */
public final class BatchScheduler implements AutoCloseable {
    /** KV capacities are rounded up to a multiple of this, so batches of similar prompts reuse one size. */
    static final int CAPACITY_STEP = 1024;

    private final AudioLanguageModel model;
    private final ModelConfig config;
    private final ReferencePipeline ending;
    private final int slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long batchSteps, sequenceSteps, joinedMidFlight, batchesStarted, batchesGrown, prefilledPositions, sharedPositions;
    /** What the running batch's shared-prefix slot (its last, {@link #slots}) holds; scheduler thread only. */
    private final PromptPositions shared;
    private volatile int largestBatch;

    /**
     * @param slots the most sequences decoded together (the batch size)
     */
    public BatchScheduler(AudioLanguageModel model, ReferencePipeline ending, int slots, String threadName) {
        if (!model.batchable()) throw new IllegalArgumentException(model.getClass().getSimpleName() + " does not decode batches");
        if (slots < 1) throw new IllegalArgumentException("a batch needs at least one slot, got " + slots);
        this.model = model;
        this.config = model.config();
        this.ending = ending;
        this.slots = slots;
        this.shared = new PromptPositions(config);
        // a platform thread: ORT calls are native, and a virtual thread inside one would pin its carrier
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public int slots() {
        return slots;
    }

    /**
     * What the scheduler did so far: decode calls, sequence-steps they advanced (their ratio is the mean batch), the
     * largest batch stepped, sequences that joined a batch while it was decoding, batches (KV caches) started, and
     * times a running batch's cache grew for a sequence that outran its expected frames; prompt positions prefilled,
     * and prompt positions copied from the shared prefix instead.
     */
    public record Stats(long batchSteps, long sequenceSteps, int largestBatch, long joinedMidFlight, long batchesStarted, long batchesGrown,
            long prefilledPositions, long sharedPositions) {}

    public Stats stats() {
        return new Stats(batchSteps, sequenceSteps, largestBatch, joinedMidFlight, batchesStarted, batchesGrown, prefilledPositions, sharedPositions);
    }

    /**
     * Generates one sequence, decoded together with whatever else is in flight. Blocks until it has ended; the
     * observer is called on this (the calling) thread.
     *
     * @param cancelled polled (on the scheduler thread) before the prefill and before every step; when true the
     *                  sequence leaves the batch and this throws {@link CancellationException}
     * @throws IllegalArgumentException a prompt the model cannot take (checked as {@link GenerationLoop} checks it)
     */
    public GenerationResult generate(PromptTokens prompt, GenerationOptions options, GenerationLoop.Observer observer, BooleanSupplier cancelled) {
        return generate(prompt, options, options.maxFrames(), observer, cancelled);
    }

    /**
     * As {@link #generate(PromptTokens, GenerationOptions, GenerationLoop.Observer, BooleanSupplier)}, the batch's
     * cache sized for {@code expectedFrames} (at most the frame limit) rather than the frame limit: a sequence that runs
     * longer grows the cache then. The codes do not depend on it.
     */
    public GenerationResult generate(PromptTokens prompt, GenerationOptions options, int expectedFrames, GenerationLoop.Observer observer,
            BooleanSupplier cancelled) {
        Sequence.check(config, prompt);
        int need = prompt.ids().length + Math.max(1, Math.min(expectedFrames, options.maxFrames()));
        if (prompt.ids().length + (long) Math.max(1, options.maxFrames()) > model.maxPositions()) {
            throw new IllegalArgumentException("prompt of " + prompt.ids().length + " tokens + " + options.maxFrames() + " frames exceeds the model's "
                    + model.maxPositions() + " positions");
        }
        Ticket t = new Ticket(prompt, options, cancelled == null ? () -> false : cancelled, need);
        lock.lock();
        try {
            if (closed) throw new CancellationException("the batch scheduler is closed");
            waiting.add(t);
            arrived.signal();
        } finally {
            lock.unlock();
        }
        GenerationLoop.Observer obs = observer == null ? new GenerationLoop.Observer() {} : observer;
        try {
            while (true) {
                Object e = t.events.poll(1, TimeUnit.SECONDS);
                if (e == null) {
                    if (closed && !thread.isAlive()) throw new CancellationException("the batch scheduler is closed");
                    continue;
                }
                switch (e) {
                    case StepEvent s -> obs.onStep(s.step, s.frame, s.logits);
                    case FramesEvent f -> obs.onFrames(f.frames);
                    case GenerationResult r -> {
                        return r;
                    }
                    case RuntimeException x -> throw x;
                    case Error x -> throw x;
                    default -> throw new IllegalStateException("unexpected event " + e);
                }
            }
        } catch (InterruptedException e) {
            t.abandoned = true;
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while generating");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the scheduler thread ----------------------------------------------------------------------------------------

    private record StepEvent(int step, int[] frame, float[] logits) {}

    private record FramesEvent(List<int[]> frames) {}

    /** One submitted generation: its prompt, and the queue its events go to. */
    private static final class Ticket {
        final PromptTokens prompt;
        final GenerationOptions options;
        final BooleanSupplier cancelled;
        final int need;
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        volatile boolean abandoned;

        Ticket(PromptTokens prompt, GenerationOptions options, BooleanSupplier cancelled, int need) {
            this.prompt = prompt;
            this.options = options;
            this.cancelled = cancelled;
            this.need = need;
        }

        boolean cancelled() {
            return abandoned || cancelled.getAsBoolean();
        }
    }

    /** A sequence in the batch; its slot is its index in {@code live}. */
    private static final class Slot {
        final Ticket ticket;
        final Sequence sequence;
        float[] logits;

        Slot(Ticket ticket, Sequence sequence) {
            this.ticket = ticket;
            this.sequence = sequence;
        }
    }

    private void loop() {
        AudioLanguageModel.Batch batch = null;
        List<Slot> live = new ArrayList<>();
        try {
            while (true) {
                List<Ticket> admitted = new ArrayList<>();
                int capacity = batch == null ? 0 : batch.capacity();
                lock.lock();
                try {
                    while (live.isEmpty() && waiting.isEmpty() && !closed) arrived.awaitUninterruptibly();
                    if (closed) break;
                    if (live.isEmpty()) {
                        // between batches: size the next one for the prompts that would be admitted now
                        int need = 0, i = 0;
                        for (Ticket t : waiting) {
                            if (i++ == slots) break;
                            need = Math.max(need, t.need);
                        }
                        if (need > capacity) capacity = Math.min(model.maxPositions(), (need + CAPACITY_STEP - 1) / CAPACITY_STEP * CAPACITY_STEP);
                    }
                    // first come first served: a prompt that does not fit the running batch holds back the ones after it
                    while (live.size() + admitted.size() < slots && !waiting.isEmpty() && waiting.peek().need <= capacity) {
                        admitted.add(waiting.poll());
                    }
                } finally {
                    lock.unlock();
                }
                if (batch == null || capacity != batch.capacity()) {
                    if (batch != null) batch.close();
                    batch = null;
                    try {
                        batch = model.newBatch(slots + 1, capacity);   // + the shared-prefix slot
                        shared.truncate(0);
                    } catch (RuntimeException | OutOfMemoryError e) {
                        // e.g. no memory for the cache: these requests hear why; the scheduler goes on for the next ones
                        for (Ticket t : admitted) t.events.add(e);
                        continue;
                    }
                    batchesStarted++;
                }
                if (!live.isEmpty() && !admitted.isEmpty()) joinedMidFlight += admitted.size();
                for (Ticket t : admitted) admit(batch, live, t);

                // each sequence chooses its next frame; those that end or are cancelled leave the batch
                int n = live.size();
                boolean[] goesOn = new boolean[n];
                for (int j = 0; j < n; j++) {
                    Slot s = live.get(j);
                    try {
                        goesOn[j] = !s.sequence.done() && s.sequence.next(s.logits);
                        if (!goesOn[j]) {
                            s.ticket.events.add(s.sequence.finish());
                        } else if (s.ticket.cancelled()) {
                            goesOn[j] = false;
                            s.ticket.events.add(new CancellationException("generation cancelled"));
                        }
                    } catch (RuntimeException | Error e) {
                        goesOn[j] = false;
                        s.ticket.events.add(e);
                    }
                }
                compact(batch, live, goesOn);
                n = live.size();
                if (n == 0) continue;
                int[][] frames = new int[n][];
                for (int j = 0; j < n; j++) frames[j] = live.get(j).sequence.lastFrame();
                int longest = 0;
                for (int j = 0; j < n; j++) longest = Math.max(longest, batch.position(j));
                if (longest + 1 > batch.capacity()) {
                    // a sequence outran the frames it was expected to take: the cache grows, nobody is cut short
                    // (within the model's context: generate() checked prompt + frame limit against it)
                    int grown = Math.min(model.maxPositions(), (longest + CAPACITY_STEP) / CAPACITY_STEP * CAPACITY_STEP);
                    try {
                        batch = model.grow(batch, grown);
                    } catch (RuntimeException | OutOfMemoryError e) {
                        failAll(live, batch, e);
                        batch = null;
                        continue;
                    }
                    batchesGrown++;
                }
                float[][] logits;
                try {
                    logits = model.step(batch, frames);
                } catch (RuntimeException | Error e) {
                    failAll(live, batch, e);
                    batch = null;
                    continue;
                }
                for (int j = 0; j < n; j++) live.get(j).logits = logits[j];
                batchSteps++;
                sequenceSteps += n;
                if (n > largestBatch) largestBatch = n;
            }
        } catch (Throwable e) {
            for (Slot s : live) s.ticket.events.add(e);
            live.clear();
            if (!(e instanceof RuntimeException) && !(e instanceof Error)) throw new IllegalStateException(e);
        } finally {
            CancellationException stop = new CancellationException("the batch scheduler was closed (the server stopped or the model was unloaded)");
            for (Slot s : live) s.ticket.events.add(stop);
            lock.lock();
            try {
                closed = true;
                for (Ticket t : waiting) t.events.add(stop);
                waiting.clear();
            } finally {
                lock.unlock();
            }
            if (batch != null) batch.close();
        }
    }

    /** A failure for every sequence in flight (a step, or growing their cache): each hears why, the batch is closed. */
    private static void failAll(List<Slot> live, AudioLanguageModel.Batch batch, Throwable e) {
        for (Slot s : live) s.ticket.events.add(e);
        live.clear();
        batch.close();
    }

    /** Prefills a ticket's prompt into the next free slot (slot {@code live.size()}); a failure fails that ticket only. */
    private void admit(AudioLanguageModel.Batch batch, List<Slot> live, Ticket t) {
        try {
            if (t.cancelled()) throw new CancellationException("generation cancelled");
            Sequence seq = new Sequence(config, ending, t.prompt, t.options, new GenerationLoop.Observer() {
                @Override
                public void onStep(int step, int[] delayedFrame, float[] rawLogits) {
                    t.events.add(new StepEvent(step, delayedFrame, rawLogits));
                }

                @Override
                public void onFrames(List<int[]> frames) {
                    t.events.add(new FramesEvent(List.copyOf(frames)));
                }
            });
            Slot s = new Slot(t, seq);
            if (!seq.done()) {
                int slot = live.size(), n = t.prompt.ids().length;
                // up to where the prompt's own turn starts: the part a single render prefills in its first call
                // (KvSession), so that a copied prefix and the rest give the bits a single render gives
                int own = shared.ownTurnStart(t.prompt);
                int keep = Math.min(shared.commonPrefix(t.prompt), own);
                if (keep >= PromptPositions.MIN_PREFIX && keep == own) {
                    model.copyPrefix(batch, slots, slot, keep);
                    sharedPositions += keep;
                } else {
                    keep = 0;
                    model.clearSlot(batch, slot);
                    if (own > 0 && own < n - 1) {
                        // a new shared prefix: prefilled on its own, as a single render's first call, and kept for the
                        // next prompts that start like it
                        PromptTokens head = shared.head(t.prompt, own);
                        model.prefill(batch, slot, head.ids(), head.audioFrames(), 1);
                        model.copyPrefix(batch, slot, slots, own);
                        shared.truncate(0);
                        shared.recordAll(head);
                        prefilledPositions += own;
                        keep = own;
                    }
                }
                PromptTokens rest = shared.rest(t.prompt, keep);
                s.logits = model.prefill(batch, slot, rest.ids(), rest.audioFrames(), 1)[0];
                prefilledPositions += rest.ids().length;
            }
            live.add(s);
        } catch (RuntimeException | Error e) {
            t.events.add(e);
        }
    }

    /** The last live slot moves into each ended one (its cache rows copied), so steps shrink with the batch. */
    private void compact(AudioLanguageModel.Batch batch, List<Slot> live, boolean[] goesOn) {
        BatchGenerationLoop.compact(model, batch, live, goesOn);
    }
}
