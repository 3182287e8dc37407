package org.higgsnarrator.engine;

/**
 * Receives a job's output while it runs, on the generating thread. Exceptions thrown here abort the job.
 * Keep the work short (hand PCM to a queue): generation waits for it.
 */
public interface SynthesisListener {
    /** A render continuing an earlier one: {@code done} of {@code count} chunks were already rendered (and are not again). */
    default void onResume(int done, int count) {}

    /** Something the user should know about how the job adapts (context cut to fit, frame budget shortened). */
    default void onNote(String message) {}

    default void onChunkStart(int index, int count, ScriptChunk chunk) {}

    /** Mono samples in [-1, 1] at {@code sampleRate}, in order; together they are the whole job's audio. */
    default void onAudio(float[] samples, int sampleRate) {}

    /** After every decoded frame. */
    default void onProgress(Progress progress) {}

    default void onChunkDone(int index, ChunkResult result) {}

    /** Before re-rendering chunk {@code index} whose best take so far the take checks flag ({@link SynthesisJob#withRetakes}). */
    default void onRetake(int index, int attempt, int maxRetakes, String reason) {}
}
