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
    public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

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

    volatile RenderTask task;
    volatile boolean cancelRequested;

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

    public boolean isFinished() {
        State s = state.get();
        return s == State.DONE || s == State.FAILED || s == State.CANCELLED;
    }

}
