package org.higgsnarrator.models;

/**
 * Progress of a long task (conversion, verification). {@code total} is -1 when unknown. Called from the worker
 * thread; a UI must hop to its own thread.
 */
@FunctionalInterface
public interface ProgressListener {
    void update(String stage, long done, long total);

    ProgressListener NONE = (stage, done, total) -> {};
}
