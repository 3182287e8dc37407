package org.higgsnarrator.ui.vm;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.higgsnarrator.ui.service.RenderRequest;
import org.higgsnarrator.ui.service.RenderTask;

/** One segment render in the queue. Properties change on the UI thread only. */
public final class RenderJob {
    public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    public final ChapterViewModel chapter;
    public final int segmentIndex;
    public final String hash;
    public final RenderRequest request;
    public final String label;
    /** Project assets folder the take is written to (fixed when queued: the project may be closed meanwhile). */
    public final java.nio.file.Path assetsDir;
    public final ObjectProperty<State> state = new SimpleObjectProperty<>(State.QUEUED);
    /** 0…1; an estimate while running (the model decides when the segment ends). */
    public final DoubleProperty progress = new SimpleDoubleProperty(0);
    /** Audio seconds produced per wall-clock second (×real-time); 0 until the first audio. */
    public final DoubleProperty realtimeFactor = new SimpleDoubleProperty(0);
    public final StringProperty eta = new SimpleStringProperty("");
    public final StringProperty message = new SimpleStringProperty("queued");

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

    public boolean isFinished() {
        State s = state.get();
        return s == State.DONE || s == State.FAILED || s == State.CANCELLED;
    }

}
