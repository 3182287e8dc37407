package org.higgsnarrator.ui.vm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.higgsnarrator.project.Project.Chapter;
import org.higgsnarrator.project.Project.RenderedSegment;

/**
 * A chapter being edited. Title, scene and script are the author's input: views bind them bidirectionally. The
 * rendered takes and the parsed segment rows are read-only here; the segments area keeps them current.
 */
public final class ChapterViewModel {
    public final String id;
    public final StringProperty title = new SimpleStringProperty("");
    public final StringProperty scene = new SimpleStringProperty("");
    public final StringProperty script = new SimpleStringProperty("");
    private final ObservableMap<String, RenderedSegment> rendered = FXCollections.observableMap(new LinkedHashMap<>());
    private final ObservableMap<String, RenderedSegment> renderedView = FXCollections.unmodifiableObservableMap(rendered);
    private final ObservableList<SegmentRow> segments = FXCollections.observableArrayList();
    private final ObservableList<SegmentRow> segmentsView = FXCollections.unmodifiableObservableList(segments);

    public ChapterViewModel(Chapter c) {
        id = c.id();
        title.set(c.title());
        scene.set(c.scene());
        script.set(c.script());
        for (RenderedSegment r : c.rendered()) rendered.put(r.hash(), r);
    }

    /** What a change of marks the project unsaved (and, but for the title, re-derives the segments). */
    Observable[] observables() {
        return new Observable[] {title, scene, script, rendered};
    }

    /** Segment hash → its takes, in first-rendered order. */
    public ObservableMap<String, RenderedSegment> rendered() {
        return renderedView;
    }

    /** The script's segments with speaker, hash and render state, in script order. */
    public ObservableList<SegmentRow> segments() {
        return segmentsView;
    }

    void putRendered(RenderedSegment r) {
        rendered.put(r.hash(), r);
    }

    void setSegments(List<SegmentRow> rows) {
        segments.setAll(rows);
    }

    public Chapter toChapter() {
        return new Chapter(id, title.get(), scene.get(), script.get(), new ArrayList<>(rendered.values()));
    }

    @Override
    public String toString() {
        return title.get();
    }
}
