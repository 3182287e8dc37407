package org.higgsnarrator.ui.vm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.higgsnarrator.project.Project.Chapter;
import org.higgsnarrator.project.Project.RenderedSegment;

/** A chapter being edited: title, scene, script, rendered takes (by segment hash) and its parsed segment rows. */
public final class ChapterViewModel {
    public final String id;
    public final StringProperty title = new SimpleStringProperty("");
    public final StringProperty scene = new SimpleStringProperty("");
    public final StringProperty script = new SimpleStringProperty("");
    /** Segment hash → its takes, in first-rendered order. */
    public final ObservableMap<String, RenderedSegment> rendered = FXCollections.observableMap(new LinkedHashMap<>());
    /** The script's segments with speaker, hash and render state; refreshed by {@link StudioViewModel#refreshSegments}. */
    public final ObservableList<SegmentRow> segments = FXCollections.observableArrayList();

    public ChapterViewModel(Chapter c) {
        id = c.id();
        title.set(c.title());
        scene.set(c.scene());
        script.set(c.script());
        for (RenderedSegment r : c.rendered()) rendered.put(r.hash(), r);
    }

    public Chapter toChapter() {
        return new Chapter(id, title.get(), scene.get(), script.get(), new ArrayList<>(rendered.values()));
    }

    public List<SegmentRow> rows() {
        return List.copyOf(segments);
    }

    @Override
    public String toString() {
        return title.get();
    }
}
