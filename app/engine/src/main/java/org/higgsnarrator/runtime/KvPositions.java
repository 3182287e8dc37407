package org.higgsnarrator.runtime;

import org.higgsnarrator.decode.AudioLanguageModel;

/**
 * How far one sequence's KV cache of a fixed capacity is filled: what the per-job states of both ORT models
 * ({@link OrtAudioLanguageModel.KvState}, the IoBinding model's device-memory state) share. GroupQueryAttention masks
 * by {@code seqlens_k} / {@code total_sequence_length}, so rows past the position are never read: moving it is all a
 * rewind or a jump needs.
 */
abstract class KvPositions implements AudioLanguageModel.State {
    final int capacity;
    int position;

    KvPositions(int capacity) {
        this.capacity = capacity;
    }

    /** Fails loudly before a call that would write past the cache. */
    void require(int more) {
        if (position + more > capacity) {
            throw new IllegalStateException("KV cache full: " + position + " + " + more + " positions exceed its capacity of " + capacity
                    + "; start a new state with more positions (newState)");
        }
    }

    /** {@link AudioLanguageModel#skipTo}: forward, within the capacity. */
    void skipTo(int to) {
        if (to < position || to > capacity) {
            throw new IllegalArgumentException("cannot skip to position " + to + " from " + position + " (capacity " + capacity + ")");
        }
        position = to;
    }

    /** {@link AudioLanguageModel#rewind}: back to a position already held. */
    void rewind(int to) {
        if (to < 0 || to > position) throw new IllegalArgumentException("cannot rewind a state at position " + position + " to " + to);
        position = to;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int position() {
        return position;
    }
}
