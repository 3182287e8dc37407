package org.higgsnarrator.decode;

/**
 * One job's live model state across its prompts, and a record of what every position holds ({@link PromptPositions}).
 *
 * <p>A long-form job renders each chunk's whole conversation (system, scene, reference turns, buffered chunks, the new
 * user turn). When the model's states can be rewound ({@link AudioLanguageModel#reusableStates}), {@link #prefill}
 * keeps the longest prefix of positions the state already holds that equals the new prompt and prefills only the
 * rest. So the system + scene + reference turns, identical at the same positions in every chunk, are computed once
 * per job (a prefix cache), and when the conversation only grew since the last prompt (carry-over: the last chunk's
 * generated frames are its assistant turn) only its closing tokens and the next user turn are prefilled. The
 * positions the model has seen are, by construction, the rendered prompt; {@link #seen} exposes them for tests.
 *
 * <p>Capacity is what the caller reserves (prompt + expected frames), grown by half when a step needs more, never
 * beyond the limit the caller gives (its frame budget) nor {@link AudioLanguageModel#maxPositions}.
 */
public final class KvSession implements AutoCloseable {
    private final AudioLanguageModel model;
    private final int audioOut;
    private AudioLanguageModel.State state;
    private final PromptPositions seen;
    private long reusedPositions, prefilledPositions, steps, grows, prefillNanos, stepNanos, attendedPositions;
    private boolean reuse = true;

    public KvSession(AudioLanguageModel model) {
        this.model = model;
        this.audioOut = model.config().tokens().audioOut();
        this.seen = new PromptPositions(model.config());
    }

    /**
     * Turns the prefix cache off: every prompt is prefilled from its first position, as every chunk was before the
     * long-form engine kept its state. Only for measuring that behaviour ({@code bench chapter}'s {@code before:N}).
     */
    public KvSession withoutReuse() {
        reuse = false;
        return this;
    }

    public AudioLanguageModel model() {
        return model;
    }

    /** How many leading positions of {@code prompt} the state already holds, as the model sees them. */
    public int commonPrefix(PromptTokens prompt) {
        return seen.commonPrefix(prompt);
    }

    /**
     * Brings the state to {@code prompt} and returns the logits of its last position.
     *
     * @param reserve positions to have room for (prompt + expected frames); at least the prompt's length is reserved
     */
    public float[] prefill(PromptTokens prompt, int reserve) {
        long[] p = prompt.ids();
        int n = p.length;
        int capacity = Math.max(reserve, n);
        if (capacity > model.maxPositions()) {
            throw new IllegalArgumentException("a prompt of " + n + " positions with room for " + capacity + " exceeds the model's context of " + model.maxPositions());
        }
        int keep = 0;
        if (state != null && reuse && model.reusableStates()) {
            keep = Math.min(commonPrefix(prompt), n - 1); // the last position is always run: its logits start generation
            model.rewind(state, keep);
            if (state.capacity() < capacity) state = model.grow(state, capacity);
        } else {
            if (state != null) state.close();
            state = null;
            state = model.newState(capacity);
        }
        seen.truncate(keep);
        long t0 = System.nanoTime();
        // a model that can also decode this prompt in a batch: a fresh prompt's shared part (system, scene, voice)
        // first, then its own turn — the two calls a batch makes when it copies that part from a segment in the same
        // voice (BatchScheduler), so that a take is the same bits either way
        int own = keep == 0 && model.batchable() ? seen.ownTurnStart(prompt) : 0;
        if (own > 0 && own < n - 1) {
            PromptTokens head = seen.head(prompt, own);
            model.prefill(state, head.ids(), head.audioFrames(), 1);
            seen.recordAll(head);
            keep = own;
        }
        PromptTokens rest = seen.rest(prompt, keep);
        float[] logits = model.prefill(state, rest.ids(), rest.audioFrames(), 1)[0];
        prefillNanos += System.nanoTime() - t0;
        seen.recordAll(rest);
        reusedPositions += keep - own;
        prefilledPositions += rest.ids().length + own;
        return logits;
    }

    /**
     * Feeds one generated frame (delay pattern applied) at an audio position.
     *
     * @param limit the most positions this generation may reach (prompt + frame budget)
     */
    public float[] step(int[] frame, int limit) {
        if (state == null) throw new IllegalStateException("step before prefill");
        int need = state.position() + 1;
        if (need > state.capacity()) {
            int cap = state.capacity();
            int grown = (int) Math.min(Math.min((long) limit, model.maxPositions()), Math.max((long) need, cap + cap / 2L + 64));
            if (grown < need) throw new IllegalStateException("the KV state is full at " + cap + " positions and may not grow past " + limit);
            state = model.grow(state, grown);
            grows++;
        }
        attendedPositions += need;
        long t0 = System.nanoTime();
        float[] logits = model.step(state, frame);
        stepNanos += System.nanoTime() - t0;
        seen.record(audioOut, frame.clone());
        steps++;
        return logits;
    }

    /**
     * What the state holds, as a prompt: the ids (every audio position as {@code <|AUDIO_OUT|>}, since the model
     * embeds both placeholders alike) and the frames of its audio positions.
     */
    public PromptTokens seen() {
        return seen.asPrompt();
    }

    /** Positions the state holds now. */
    public int positions() {
        return seen.size();
    }

    /** Current room, in positions (0 before the first prefill). */
    public int capacity() {
        return state == null ? 0 : state.capacity();
    }

    /** Prompt positions taken from the state instead of prefilled, over the session. */
    public long reusedPositions() {
        return reusedPositions;
    }

    /** Prompt positions prefilled, over the session. */
    public long prefilledPositions() {
        return prefilledPositions;
    }

    /** Decode steps, over the session. */
    public long steps() {
        return steps;
    }

    /** Wall time in prefill calls, over the session. */
    public double prefillSeconds() {
        return prefillNanos / 1e9;
    }

    /** Wall time in decode steps, over the session. */
    public double stepSeconds() {
        return stepNanos / 1e9;
    }

    /** Positions the steps attended over, summed (mean context per step = this ÷ {@link #steps}). */
    public long attendedPositions() {
        return attendedPositions;
    }

    /** Times the state grew during a generation (its reserve was too small). */
    public long grows() {
        return grows;
    }

    @Override
    public void close() {
        if (state != null) state.close();
        state = null;
        seen.truncate(0);
    }
}
