package org.higgsnarrator.decode;

import org.higgsnarrator.config.ModelConfig;

/**
 * The Higgs generation model as the generation loop sees it: a prefill over a mixed text/audio prompt and one decode
 * step per generated audio frame. Implementations own where the weights and the KV cache live (CPU buffers today;
 * GPU-resident with IoBinding later) — the loop never touches either. The model is shareable between jobs; each job
 * has its own {@link State}.
 */
public interface AudioLanguageModel extends AutoCloseable {
    ModelConfig config();

    /** A fresh per-job decode state (KV cache for up to {@code maxPositions} tokens). */
    State newState(int maxPositions);

    /**
     * Runs the prompt through the model.
     *
     * @param ids         prompt token ids [T]
     * @param audioFrames codes for the prompt's audio positions, [F][K] in position order (frame i feeds the i-th
     *                    position whose id is {@code <|AUDIO_OUT|>} or the delay token); delay pattern already applied
     * @param lastN       how many trailing positions to return logits for
     * @return audio logits [lastN][K × (codebookSize+2)], codebook-major within a position
     */
    float[][] prefill(State state, long[] ids, int[][] audioFrames, int lastN);

    /**
     * Feeds one generated frame (K codes, delay pattern applied) as the next position.
     *
     * @return the audio logits of that position, [K × (codebookSize+2)]
     */
    float[] step(State state, int[] frame);

    /**
     * The most positions one state may hold (the package's context: its rotary tables and the largest KV cache a
     * runtime may allocate). Long-form planning fits every chunk's prompt and frame budget into it.
     */
    default int maxPositions() {
        return Integer.MAX_VALUE;
    }

    /**
     * Whether states can be rewound and grown ({@link #rewind}, {@link #grow}): then a {@link KvSession} keeps one state
     * across prompts and prefills only what differs from the positions it already holds.
     */
    default boolean reusableStates() {
        return false;
    }

    /** Forgets the positions from {@code position} on: the next prefill or step writes at {@code position}. */
    default void rewind(State state, int position) {
        throw new UnsupportedOperationException("this model's states cannot be rewound");
    }

    /**
     * A state with room for {@code maxPositions} holding {@code state}'s positions (copied); {@code state} is closed.
     */
    default State grow(State state, int maxPositions) {
        throw new UnsupportedOperationException("this model's states cannot grow");
    }

    /**
     * Benchmarks only: treats the cache positions up to {@code position} as filled without computing them (they hold
     * whatever the cache holds), so a step's cost at a long context can be timed without a long prefill.
     */
    default void skipTo(State state, int position) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot skip positions");
    }

    // ---- batched decoding (docs/engine.md "Batched decoding") ----

    /** Whether {@link #newBatch} is supported: the decode step then runs several sequences in one call. */
    default boolean batchable() {
        return false;
    }

    /**
     * A KV cache of {@code slots} sequences of up to {@code maxPositions} each, decoded together by {@link #step(Batch,
     * int[][])}. Each slot is filled by {@link #prefill(Batch, int, long[], int[][], int)} or {@link #copySlot}.
     */
    default Batch newBatch(int slots, int maxPositions) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode batches");
    }

    /**
     * A batch like {@code batch} with room for {@code maxPositions} positions per slot: every slot keeps its positions
     * and cache rows (copied into a new cache); {@code batch} is closed. For a sequence that outgrows the cache it was
     * admitted with ({@link BatchScheduler} sizes a batch for the frames it expects, not the frame limit).
     */
    default Batch grow(Batch batch, int maxPositions) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode batches");
    }

    /** Runs one prompt into slot {@code slot} (from its current position), as {@link #prefill(State, long[], int[][], int)}. */
    default float[][] prefill(Batch batch, int slot, long[] ids, int[][] audioFrames, int lastN) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode batches");
    }

    /** Makes slot {@code to} hold what slot {@code from} holds (its positions and cache rows). */
    default void copySlot(Batch batch, int from, int to) {
        copyPrefix(batch, from, to, batch.position(from));
    }

    /**
     * Makes slot {@code to} hold the first {@code positions} positions of slot {@code from} (their cache rows): a
     * prompt that starts with them is then prefilled from there on ({@link BatchScheduler}'s shared prefix).
     */
    default void copyPrefix(Batch batch, int from, int to, int positions) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode batches");
    }

    /**
     * Empties slot {@code slot}: it holds no positions, so the next {@link #prefill(Batch, int, long[], int[][], int)}
     * writes from position 0. A slot freed while the others decode can thus take a new sequence mid-flight (the
     * server's continuous batching, {@link BatchScheduler}); the other slots are untouched.
     */
    default void clearSlot(Batch batch, int slot) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode batches");
    }

    /**
     * One decode step of slots {@code 0 … frames.length−1} together (slot i takes {@code frames[i]} at its own
     * position); slots from {@code frames.length} on are untouched and cost nothing.
     *
     * @return the logits per stepped slot, [frames.length][K × (codebookSize+2)]
     */
    default float[][] step(Batch batch, int[][] frames) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode batches");
    }

    @Override
    void close();

    /** The KV cache of a batch of sequences: one slot per sequence, each with its own position. */
    interface Batch extends AutoCloseable {
        int slots();

        /** Positions each slot can hold. */
        int capacity();

        /** Positions slot {@code slot} holds. */
        int position(int slot);

        @Override
        void close();
    }

    /** Per-job state: the KV cache and the number of positions consumed. */
    interface State extends AutoCloseable {
        int position();

        /** How many positions it can hold. */
        default int capacity() {
            return Integer.MAX_VALUE;
        }

        @Override
        void close();
    }
}
