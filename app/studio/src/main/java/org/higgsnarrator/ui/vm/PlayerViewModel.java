package org.higgsnarrator.ui.vm;

import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.higgsnarrator.audio.AudioClip;

/**
 * What the player holds: a chapter's takes joined (with segment boundaries) or a voice clip; the playhead and
 * which segment it is in. The view does the actual audio output and feeds {@link #position} back.
 */
public final class PlayerViewModel {
    /** A stretch of the loaded audio that belongs to one script segment. */
    public record Span(int segmentIndex, int startSample, int endSample) {}

    public final StringProperty title = new SimpleStringProperty("Nothing loaded");
    public final ObjectProperty<AudioClip> clip = new SimpleObjectProperty<>();
    public final ObjectProperty<List<Span>> spans = new SimpleObjectProperty<>(List.of());
    /** Playhead in seconds. */
    public final DoubleProperty position = new SimpleDoubleProperty(0);
    /** Segment under the playhead, -1 when none (voice clips, gaps). */
    public final IntegerProperty currentSegment = new SimpleIntegerProperty(-1);
    public final BooleanProperty playing = new SimpleBooleanProperty(false);
    /** The chapter the loaded audio belongs to (null for a voice clip). */
    public final ObjectProperty<ChapterViewModel> chapter = new SimpleObjectProperty<>();

    public PlayerViewModel() {
        position.addListener((o, a, b) -> currentSegment.set(segmentAt(b.doubleValue())));
    }

    public void load(String title, AudioClip audio, List<Span> segmentSpans, ChapterViewModel chapter) {
        playing.set(false);
        this.title.set(title);
        this.chapter.set(chapter);
        spans.set(List.copyOf(segmentSpans));
        clip.set(audio);
        position.set(0);
        currentSegment.set(segmentAt(0));
    }

    public int segmentAt(double seconds) {
        AudioClip c = clip.get();
        if (c == null) return -1;
        long sample = Math.round(seconds * c.sampleRate());
        for (Span s : spans.get()) if (sample >= s.startSample() && sample < s.endSample()) return s.segmentIndex();
        return -1;
    }

    /** Seconds where segment {@code index} starts, or -1 when it is not in the loaded audio. */
    public double startOf(int index) {
        AudioClip c = clip.get();
        if (c == null) return -1;
        for (Span s : spans.get()) if (s.segmentIndex() == index) return s.startSample() / (double) c.sampleRate();
        return -1;
    }

    public double duration() {
        return clip.get() == null ? 0 : clip.get().seconds();
    }
}
