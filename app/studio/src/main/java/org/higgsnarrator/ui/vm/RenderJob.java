package org.higgsnarrator.ui.vm;

import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.higgsnarrator.ui.service.RenderRequest;
import org.higgsnarrator.ui.service.RenderTask;

/** One segment render in the queue. Its properties are read-only outside the queue and change on the UI thread only. */
public final class RenderJob {
    /**
     * INTERRUPTED: the studio stopped (crashed, was killed or closed) while the job was queued or rendering; it was
     * found again in the project's {@code queue.json} and waits for Resume, which continues at its finished chunks.
     */
    public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED }

    public final ChapterViewModel chapter;
    public final int segmentIndex;
    public final String hash;
    public final RenderRequest request;
    public final String label;
    /** Project assets folder the take is written to (fixed when queued: the project may be closed meanwhile). */
    public final java.nio.file.Path assetsDir;
    final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.QUEUED);
    final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    final ReadOnlyDoubleWrapper realtimeFactor = new ReadOnlyDoubleWrapper(0);
    final ReadOnlyStringWrapper eta = new ReadOnlyStringWrapper("");
    final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("queued");
    /** Where it renders (or rendered): "this computer" or a server's address; "" while waiting. */
    final ReadOnlyStringWrapper renderer = new ReadOnlyStringWrapper("");

    volatile RenderTask task;
    volatile boolean cancelRequested;
    /** Taken off the queue with its project (closed, or the studio closed): its checkpoint and queue entry stay for a resume. */
    volatile boolean detached;

    public RenderJob(ChapterViewModel chapter, int segmentIndex, String hash, RenderRequest request, String label, java.nio.file.Path assetsDir) {
        this.assetsDir = assetsDir;
        this.chapter = chapter;
        this.segmentIndex = segmentIndex;
        this.hash = hash;
        this.request = request;
        this.label = label;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    /** 0…1; an estimate while running (the model decides when the segment ends). */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Audio seconds produced per wall-clock second (×real-time); 0 until the first audio. */
    public ReadOnlyDoubleProperty realtimeFactorProperty() {
        return realtimeFactor.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty etaProperty() {
        return eta.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String message() {
        return message.get();
    }

    /** Where the job renders: "this computer", a server's address, or "" while it waits. */
    public ReadOnlyStringProperty rendererProperty() {
        return renderer.getReadOnlyProperty();
    }

    public String renderer() {
        return renderer.get();
    }

    /**
     * The folder that keeps this job's finished chunks until its take is stored:
     * {@code book.assets/renders/<hash>-<seed>.parts} for this computer's engine, {@code ….remote.parts} for the chunks
     * servers returned (every server's, so that a failed server's chunks stay for the next one).
     */
    public java.nio.file.Path checkpoint(boolean remote) {
        return assetsDir.resolve("renders").resolve(hash + "-" + Long.toUnsignedString(request.seed()) + (remote ? ".remote.parts" : ".parts"));
    }

    public boolean isFinished() {
        State s = state.get();
        return s == State.DONE || s == State.FAILED || s == State.CANCELLED;
    }

}
