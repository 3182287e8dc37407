package org.higgsnarrator.ui.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.book.Captions;
import org.higgsnarrator.render.BookRender;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationService;

/**
 * What the player holds: a chapter's takes joined (with segment boundaries) or a voice clip; the playhead and
 * which segment it is in. The view does the actual audio output and reports back through {@link #playbackStarted},
 * {@link #playbackAt}, {@link #playbackStopped} and {@link #seek}.
 */
public final class PlayerViewModel {
    /** A stretch of the loaded audio that belongs to one script segment. */
    public record Span(int segmentIndex, int startSample, int endSample) {}

    /**
     * A sentence of the loaded chapter, timed: the {@code index}-th sentence of segment {@code segmentIndex}, with
     * the caption cue that {@code ./narrator render} writes for it ({@link BookRender#sentenceCues}: one source of timing).
     */
    public record Sentence(int segmentIndex, int index, Captions.Cue cue) {}

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("Nothing loaded");
    private final ReadOnlyObjectWrapper<AudioClip> clip = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<List<Span>> spans = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyDoubleWrapper position = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyIntegerWrapper currentSegment = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyObjectWrapper<Sentence> currentSentence = new ReadOnlyObjectWrapper<>();
    private List<Sentence> sentences = List.of();
    private final ReadOnlyBooleanWrapper playing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<ChapterViewModel> chapter = new ReadOnlyObjectWrapper<>();
    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final StatusViewModel status;
    private final ProjectViewModel project;

    /** Loads the selected chapter's chosen takes. */
    public final Command loadChapterCommand;

    PlayerViewModel(NarrationService service, BackgroundExecutor exec, StatusViewModel status, ProjectViewModel project) {
        this.service = service;
        this.exec = exec;
        this.status = status;
        this.project = project;
        position.addListener((o, a, b) -> {
            currentSegment.set(segmentAt(b.doubleValue()));
            currentSentence.set(sentenceAt(b.doubleValue()));
        });
        loadChapterCommand = new Command(() -> loadChapter(project.selectedChapter()), project.selectedChapterProperty().isNotNull());
        project.addPart(p -> load("Nothing loaded", null, List.of(), null));
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<AudioClip> clipProperty() {
        return clip.getReadOnlyProperty();
    }

    public AudioClip clip() {
        return clip.get();
    }

    public ReadOnlyObjectProperty<List<Span>> spansProperty() {
        return spans.getReadOnlyProperty();
    }

    public List<Span> spans() {
        return spans.get();
    }

    /** Playhead in seconds. */
    public ReadOnlyDoubleProperty positionProperty() {
        return position.getReadOnlyProperty();
    }

    /** Segment under the playhead, -1 when none (voice clips, gaps). */
    public ReadOnlyIntegerProperty currentSegmentProperty() {
        return currentSegment.getReadOnlyProperty();
    }

    /** The sentence under the playhead (null when none: voice clips, gaps between segments). */
    public ReadOnlyObjectProperty<Sentence> currentSentenceProperty() {
        return currentSentence.getReadOnlyProperty();
    }

    /** The loaded chapter's sentences, timed, in order (empty for a voice clip). */
    public List<Sentence> sentences() {
        return sentences;
    }

    public ReadOnlyBooleanProperty playingProperty() {
        return playing.getReadOnlyProperty();
    }

    /** The chapter the loaded audio belongs to (null for a voice clip). */
    public ReadOnlyObjectProperty<ChapterViewModel> chapterProperty() {
        return chapter.getReadOnlyProperty();
    }

    void load(String title, AudioClip audio, List<Span> segmentSpans, ChapterViewModel chapter) {
        load(title, audio, segmentSpans, List.of(), chapter);
    }

    void load(String title, AudioClip audio, List<Span> segmentSpans, List<Sentence> timedSentences, ChapterViewModel chapter) {
        playing.set(false);
        sentences = List.copyOf(timedSentences);
        this.title.set(title);
        this.chapter.set(chapter);
        spans.set(List.copyOf(segmentSpans));
        clip.set(audio);
        position.set(0);
        currentSegment.set(segmentAt(0));
        currentSentence.set(sentenceAt(0));
    }

    // ---------------------------------------------------------------- commands

    /** Loads a chapter's chosen takes, in script order, into the player. */
    public void loadChapter(ChapterViewModel c) {
        if (c == null) return;
        List<SegmentRow> rows = List.copyOf(c.segments());
        Path assets = project.assetsDir();
        exec.submit(() -> joinTakes(service, rows, assets), j -> {
            load(c.title.get() + " (" + j.spans.size() + " of " + rows.size() + " segments rendered)", j.clip, j.spans, j.sentences, c);
            status.info(j.spans.isEmpty() ? "Nothing rendered in " + c.title.get() + " yet." : "Loaded " + c.title.get() + " into the player.");
        }, e -> status.error("Cannot load chapter audio: " + StatusViewModel.message(e)));
    }

    /** Moves the playhead (a click on the waveform). */
    public void seek(double seconds) {
        position.set(Math.max(0, Math.min(seconds, duration())));
    }

    /** Where playback starts on play: from the playhead, or from the start once the end was reached. */
    public double playFrom() {
        return position.get() >= duration() - 0.05 ? 0 : position.get();
    }

    public void playbackStarted() {
        playing.set(true);
    }

    /** The audio output's playhead. */
    public void playbackAt(double seconds) {
        position.set(seconds);
    }

    public void playbackStopped() {
        playing.set(false);
    }

    /** The audio device refused: nothing plays, the status line says what to do. */
    public void playbackFailed(String reason) {
        playing.set(false);
        status.error("Cannot play: " + reason + ". Export the audio and play it in another application.");
    }

    // ---------------------------------------------------------------- queries

    public int segmentAt(double seconds) {
        AudioClip c = clip.get();
        if (c == null) return -1;
        long sample = Math.round(seconds * c.sampleRate());
        for (Span s : spans.get()) if (sample >= s.startSample() && sample < s.endSample()) return s.segmentIndex();
        return -1;
    }

    /** The sentence playing at {@code seconds}, or null (between segments, or nothing loaded). */
    public Sentence sentenceAt(double seconds) {
        if (segmentAt(seconds) < 0) return null;
        for (Sentence s : sentences) if (seconds >= s.cue().start() && seconds < s.cue().end()) return s;
        return null;
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

    record Joined(AudioClip clip, List<Span> spans, List<Sentence> sentences, int missing) {}

    /** A chapter's chosen takes in script order, 250 ms apart (player and export); segments without a take are left out. */
    static Joined joinTakes(NarrationService service, List<SegmentRow> rows, Path assets) throws IOException {
        List<float[]> parts = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        List<Sentence> sentences = new ArrayList<>();
        int at = 0, missing = 0;
        int gap = NarrationService.TAKE_GAP;
        for (SegmentRow r : rows) {
            Take t = r.chosenTake();
            if (t == null || !Files.isRegularFile(assets.resolve(t.file()))) {
                missing++;
                continue;
            }
            float[] s = service.readAudio(assets.resolve(t.file())).samples();
            if (at > 0) {
                parts.add(new float[gap]);
                at += gap;
            }
            parts.add(s);
            spans.add(new Span(r.segment().index(), at, at + s.length));
            List<Captions.Cue> cues = BookRender.sentenceCues(r.segment().text(), s, at / (double) NarrationService.RATE, r.segment().index());
            for (int k = 0; k < cues.size(); k++) sentences.add(new Sentence(r.segment().index(), k, cues.get(k)));
            at += s.length;
        }
        float[] all = new float[at];
        int p = 0;
        for (float[] s : parts) {
            System.arraycopy(s, 0, all, p, s.length);
            p += s.length;
        }
        return new Joined(new AudioClip(all, NarrationService.RATE), spans, sentences, missing);
    }
}
