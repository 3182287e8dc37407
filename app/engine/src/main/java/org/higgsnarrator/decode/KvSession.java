package org.higgsnarrator.decode;

import java.util.Arrays;

/**
 * One job's live model state across its prompts, and a record of what every position holds (a text id, or an
 * audio frame at an {@code <|AUDIO_OUT|>} / {@code <|AUDIO|>} / delay position: the prefill graph embeds them alike,
 * from the codes, and routes them alike through the audio expert).
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
    private final int audioOut, audioIn, audioDelay;
    private AudioLanguageModel.State state;
    private long[] ids = new long[256];
    /** Per position: the frame fed there, or null at a text position. */
    private int[][] frames = new int[256][];
    private int size;
    private long reusedPositions, prefilledPositions, steps, grows, prefillNanos, stepNanos, attendedPositions;
    private boolean reuse = true;

    public KvSession(AudioLanguageModel model) {
        this.model = model;
        this.audioOut = model.config().tokens().audioOut();
        this.audioIn = model.config().tokens().audioIn();
        this.audioDelay = model.config().tokens().audioDelay();
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

    private boolean isAudio(long id) {
        return id == audioOut || id == audioIn || id == audioDelay;
    }

    /** How many leading positions of {@code prompt} the state already holds, as the model sees them. */
    public int commonPrefix(PromptTokens prompt) {
        long[] p = prompt.ids();
        int[][] pf = prompt.audioFrames();
        int n = Math.min(size, p.length), frame = 0;
        for (int i = 0; i < n; i++) {
            boolean audio = isAudio(p[i]);
            if (audio != (frames[i] != null)) return i;
            if (audio ? !Arrays.equals(frames[i], pf[frame++]) : p[i] != ids[i]) return i;
        }
        return n;
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
        size = keep;
        int firstFrame = 0;
        for (int i = 0; i < keep; i++) if (frames[i] != null) firstFrame++;
        long[] rest = Arrays.copyOfRange(p, keep, n);
        int audio = 0;
        for (long id : rest) if (isAudio(id)) audio++;
        int[][] restFrames = Arrays.copyOfRange(prompt.audioFrames(), firstFrame, firstFrame + audio);
        long t0 = System.nanoTime();
        float[] logits = model.prefill(state, rest, restFrames, 1)[0];
        prefillNanos += System.nanoTime() - t0;
        int f = 0;
        for (long id : rest) record(id, isAudio(id) ? restFrames[f++] : null);
        reusedPositions += keep;
        prefilledPositions += rest.length;
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
        record(audioOut, frame.clone());
        steps++;
        return logits;
    }

    private void record(long id, int[] frame) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            frames = Arrays.copyOf(frames, size * 2);
        }
        ids[size] = id;
        frames[size] = frame;
        size++;
    }

    /**
     * What the state holds, as a prompt: the ids (every audio position as {@code <|AUDIO_OUT|>}, since the model
     * embeds both placeholders alike) and the frames of its audio positions.
     */
    public PromptTokens seen() {
        long[] out = Arrays.copyOf(ids, size);
        int audio = 0;
        for (int i = 0; i < size; i++) if (frames[i] != null) audio++;
        int[][] f = new int[audio][];
        for (int i = 0, a = 0; i < size; i++) {
            if (frames[i] != null) {
                out[i] = audioOut;
                f[a++] = frames[i];
            }
        }
        return new PromptTokens(size == 0 ? new long[] {0} : out, f);
    }

    /** Positions the state holds now. */
    public int positions() {
        return size;
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
        size = 0;
    }
}
