package org.higgsnarrator.engine;

/**
 * Receives a job's output while it runs, on the generating thread. Exceptions thrown here abort the job.
 * Keep the work short (hand PCM to a queue): generation waits for it.
 */
public interface SynthesisListener {
    default void onChunkStart(int index, int count, ScriptChunk chunk) {}

    /** Mono samples in [-1, 1] at {@code sampleRate}, in order; together they are the whole job's audio. */
    default void onAudio(float[] samples, int sampleRate) {}

    /** After every decoded frame. */
    default void onProgress(Progress progress) {}

    default void onChunkDone(int index, ChunkResult result) {}
}
