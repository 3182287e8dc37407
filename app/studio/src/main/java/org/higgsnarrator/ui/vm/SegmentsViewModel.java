package org.higgsnarrator.ui.vm;

import org.higgsnarrator.render.SegmentPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableList;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.RenderedSegment;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.script.ScriptParser;
import org.higgsnarrator.ui.script.Segment;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.ExportFormat;
import org.higgsnarrator.ui.service.ExportReport;
import org.higgsnarrator.ui.service.ExportRequest;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.RenderRequest;
import org.higgsnarrator.ui.service.RenderRequest.VoiceRef;

/**
 * Segments and takes: each chapter's script parsed into segment rows (speaker, request, content hash, takes),
 * kept current as script, scene, cast, voices, settings or model change; rendering what changed through the
 * {@link RenderQueueViewModel}; new takes and the chosen take; export of rendered chapters.
 */
public final class SegmentsViewModel {
    public final RenderQueueViewModel queue;
    private final ReadOnlyObjectWrapper<SegmentRow> selectedSegment = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Take> takes = FXCollections.observableArrayList();
    private final ObservableList<Take> takesView = FXCollections.unmodifiableObservableList(takes);
    private final ReadOnlyObjectWrapper<Take> chosenTake = new ReadOnlyObjectWrapper<>();
    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final StatusViewModel status;
    private final SessionViewModel session;
    private final ProjectViewModel project;
    private final CastViewModel cast;

    /** Renders the selected segment unless it is up to date. */
    public final Command renderSegmentCommand;
    /** Renders another take of the selected segment. */
    public final Command newTakeCommand;
    public final Command renderChapterCommand;
    public final Command renderBookCommand;

    SegmentsViewModel(NarrationService service, BackgroundExecutor exec, LongSupplier nanoClock, StatusViewModel status,
                      SessionViewModel session, ProjectViewModel project, CastViewModel cast) {
        this.service = service;
        this.exec = exec;
        this.status = status;
        this.session = session;
        this.project = project;
        this.cast = cast;
        this.queue = new RenderQueueViewModel(service, exec, nanoClock, new TakeSink());
        renderSegmentCommand = new Command(() -> renderSelected(false), selectedSegment.isNotNull());
        newTakeCommand = new Command(() -> renderSelected(true), selectedSegment.isNotNull());
        renderChapterCommand = new Command(() -> renderChapter(project.selectedChapter()), project.selectedChapterProperty().isNotNull());
        renderBookCommand = new Command(this::renderBook, project.projectOpenProperty());

        project.chapters().addListener((ListChangeListener<ChapterViewModel>) ch -> {
            while (ch.next()) for (ChapterViewModel c : ch.getAddedSubList()) watchChapter(c);
        });
        cast.voices().addListener((ListChangeListener<VoiceViewModel>) ch -> {
            while (ch.next()) for (VoiceViewModel v : ch.getAddedSubList()) watchVoice(v);
        });
        // the speakers list reports name and voice changes too (its extractor)
        cast.speakers().addListener((ListChangeListener<SpeakerViewModel>) ch -> refreshAll());
        project.settingsProperty().addListener((o, a, b) -> refreshAll());
        project.lexiconProperty().addListener((o, a, b) -> refreshAll());
        session.backendProperty().addListener((o, a, b) -> refreshAll());
        project.selectedChapterProperty().addListener((o, a, c) -> {
            if (c != null) refresh(c);
        });
        project.addPart(new ProjectViewModel.Part() {
            @Override
            public void load(Project p) {
                queue.detachAll(); // the closing project's unfinished renders stay in its queue.json for its next open
                unmatched.clear();
            }

            @Override
            public void shown() {
                restoreQueue();
            }
        });
        // renders go to the settings' servers beside this computer
        queue.setServers(List.copyOf(session.renderServers()));
        session.renderServers().addListener((ListChangeListener<org.higgsnarrator.ui.service.RemoteServer>) ch -> queue.setServers(List.copyOf(session.renderServers())));
        // the segment hashes cover the model: jobs saved under a model that is not loaded yet are found once it is
        session.backendProperty().addListener((o, a, b) -> {
            if (!unmatched.isEmpty()) matchSaved(b != null && b.canRender());
        });
    }

    // ---------------------------------------------------------------- interrupted renders

    /** Saved jobs not found among the segments yet (the model they were hashed with is not loaded yet). */
    private final List<RenderQueueViewModel.Saved> unmatched = new ArrayList<>();

    /** Lists the renders the project's {@code queue.json} holds (stopped by a crash, a kill or a close) as interrupted. */
    private void restoreQueue() {
        Path assets = project.assetsDir();
        if (assets == null) return;
        try {
            unmatched.addAll(RenderQueueViewModel.readSaved(assets));
        } catch (IOException e) {
            status.error(e.getMessage());
            return;
        }
        BackendInfo b = session.backend();
        matchSaved(b != null && b.canRender());
    }

    /**
     * Finds saved jobs among the segments (chapter id and content hash) and restores them; with {@code final} (a model
     * that renders is loaded) the ones still not found are dropped with their finished chunks: their segment changed.
     */
    private void matchSaved(boolean dropUnfound) {
        int found = 0;
        for (RenderQueueViewModel.Saved s : List.copyOf(unmatched)) {
            ChapterViewModel c = project.chapters().stream().filter(ch -> ch.id.equals(s.chapterId())).findFirst().orElse(null);
            SegmentRow row = null;
            if (c != null) {
                refresh(c);
                row = c.segments().stream().filter(r -> s.hash().equals(r.hash()) && r.request() != null).findFirst().orElse(null);
            }
            if (row == null) continue;
            unmatched.remove(s);
            if (queue.jobs().stream().anyMatch(j -> j.hash.equals(s.hash()) && j.request.seed() == s.seed())) continue;
            queue.restore(new RenderJob(c, row.segment().index(), s.hash(), row.request().withSeed(s.seed()), s.label(), project.assetsDir()));
            found++;
        }
        if (dropUnfound && !unmatched.isEmpty()) {
            // the text, voice or settings changed since: the finished chunks belong to a take nobody will ask for
            for (RenderQueueViewModel.Saved s : unmatched) {
                try {
                    org.higgsnarrator.engine.RenderCheckpoint.delete(project.assetsDir().resolve("renders").resolve(s.hash() + "-" + Long.toUnsignedString(s.seed()) + ".parts"));
                    org.higgsnarrator.engine.RenderCheckpoint.delete(project.assetsDir().resolve("renders").resolve(s.hash() + "-" + Long.toUnsignedString(s.seed()) + ".remote.parts"));
                } catch (IOException e) {
                    // disk only
                }
            }
            unmatched.clear();
        }
        if (found > 0) {
            status.info(found + " render(s) were interrupted when the studio last stopped — Resume in the render queue continues them where they stopped.");
        }
    }

    private void watchChapter(ChapterViewModel c) {
        c.scene.addListener((o, a, b) -> refresh(c));
        c.script.addListener((o, a, b) -> refresh(c));
        c.rendered().addListener((MapChangeListener<String, RenderedSegment>) ch -> refresh(c));
        refresh(c);
    }

    private void watchVoice(VoiceViewModel v) {
        v.description.addListener((o, a, b) -> refreshAll());
        v.transcript.addListener((o, a, b) -> refreshAll());
    }

    // ---------------------------------------------------------------- rows

    /** The row the segment list has selected (render, new take, takes). */
    public ReadOnlyObjectProperty<SegmentRow> selectedSegmentProperty() {
        return selectedSegment.getReadOnlyProperty();
    }

    /** Takes of the selected segment, first rendered first. */
    public ObservableList<Take> takes() {
        return takesView;
    }

    /** The selected segment's chosen take (what plays and exports). */
    public ReadOnlyObjectProperty<Take> chosenTakeProperty() {
        return chosenTake.getReadOnlyProperty();
    }

    public void selectSegment(SegmentRow r) {
        selectedSegment.set(r);
        chosenTake.set(null); // so that the chosen take is reported again after the list changed
        takes.setAll(r == null || r.rendered() == null ? List.of() : r.rendered().takes());
        chosenTake.set(r == null ? null : r.chosenTake());
    }

    void refreshAll() {
        for (ChapterViewModel c : project.chapters()) refresh(c);
    }

    /** Re-parses a chapter's script and works out each segment's speaker, request, hash and takes. */
    void refresh(ChapterViewModel c) {
        List<SegmentRow> rows = new ArrayList<>();
        String model = session.modelId();
        List<SpeakerViewModel> speakers = cast.speakers();
        Project.GenerationSettings settings = project.settings();
        for (Segment s : ScriptParser.parse(c.script.get())) {
            SpeakerViewModel sp = s.speakerName() != null ? cast.speakerByName(s.speakerName())
                    : speakers.isEmpty() ? null : s.speakerIndex() < 0 ? speakers.getFirst()
                    : s.speakerIndex() < speakers.size() ? speakers.get(s.speakerIndex()) : null;
            String problem = null;
            RenderRequest req = null;
            String hash = null;
            if (sp == null) {
                problem = s.speakerName() != null ? "no speaker named '" + s.speakerName() + "' — add it in the Cast panel"
                        : "[SPEAKER" + s.speakerIndex() + "] but the cast has " + speakers.size() + " speaker(s)";
            } else {
                VoiceViewModel v = sp.voice();
                problem = v == null ? null : v.problem();
                VoiceRef ref = cast.voiceRef(v);
                // One rule for the studio and ./narrator render (render.SegmentPlan): same hash, seed and lexicon.
                org.higgsnarrator.lexicon.Lexicon lex = SegmentPlan.lexicon(project.lexicon(), c.id, c.title.get(), sp.name(), v == null ? null : v.name.get());
                hash = SegmentPlan.hash(s.text(), ref, c.scene.get(), settings, model, lex);
                req = new RenderRequest(s.text(), ref, c.scene.get(), settings, seedFor(hash, 0), lex);
            }
            rows.add(new SegmentRow(s, sp, req, hash, hash == null ? null : c.rendered().get(hash), problem));
        }
        c.setSegments(rows);
    }

    /** Seed of take {@code take} of a segment: the project seed mixed with the content hash. */
    long seedFor(String hash, int take) {
        return SegmentPlan.seed(project.settings(), hash, take);
    }

    /** Rendered with identical content and the chosen take's file is still there. */
    public boolean isUpToDate(SegmentRow r) {
        Take t = r.chosenTake();
        Path assets = project.assetsDir();
        return t != null && assets != null && Files.isRegularFile(assets.resolve(t.file()));
    }

    // ---------------------------------------------------------------- rendering

    private void renderSelected(boolean newTake) {
        SegmentRow r = selectedSegment.get();
        ChapterViewModel c = project.selectedChapter();
        if (r != null && c != null) renderSegment(c, r.segment().index(), newTake);
    }

    /** Renders segment {@code index} of the selected chapter (the one at the editor's caret; -1: none). */
    public void renderSegmentAt(int index, boolean newTake) {
        ChapterViewModel c = project.selectedChapter();
        if (c == null) return;
        if (index < 0) {
            status.error("Put the caret in a segment of the script to render it.");
            return;
        }
        renderSegment(c, index, newTake);
    }

    /** Renders one segment: a new take when {@code newTake}, else only if not rendered. */
    public void renderSegment(ChapterViewModel c, int index, boolean newTake) {
        refresh(c);
        List<SegmentRow> rows = c.segments();
        if (index < 0 || index >= rows.size()) return;
        if (!project.checkCanRender()) return;
        SegmentRow r = rows.get(index);
        if (r.problem() != null) {
            status.error("Segment " + (index + 1) + ": " + r.problem());
            return;
        }
        if (!newTake && isUpToDate(r)) {
            status.info("Segment " + (index + 1) + " is already rendered with this text, voice and settings.");
            return;
        }
        enqueue(c, r, r.rendered() == null ? 0 : r.rendered().takes().size());
    }

    /** Renders what changed in a chapter; unchanged segments (same hash, take on disk) are skipped. */
    public int renderChapter(ChapterViewModel c) {
        return c == null ? 0 : renderChapters(List.of(c));
    }

    public int renderBook() {
        return renderChapters(List.copyOf(project.chapters()));
    }

    private int renderChapters(List<ChapterViewModel> list) {
        if (!project.checkCanRender()) return 0;
        int queued = 0, upToDate = 0;
        List<String> problems = new ArrayList<>();
        for (ChapterViewModel c : list) {
            refresh(c);
            // a copy: with a synchronous executor a finished render refreshes c.segments while we iterate
            for (SegmentRow r : List.copyOf(c.segments())) {
                if (r.problem() != null) {
                    problems.add(c.title.get() + " §" + (r.segment().index() + 1) + ": " + r.problem());
                } else if (isUpToDate(r) || queue.isPending(r.hash())) {
                    upToDate++;
                } else {
                    enqueue(c, r, 0);
                    queued++;
                }
            }
        }
        if (!problems.isEmpty()) status.error(problems.size() + " segment(s) cannot be rendered — " + problems.getFirst());
        else status.info(queued + " segment(s) queued, " + upToDate + " already up to date.");
        return queued;
    }

    private void enqueue(ChapterViewModel c, SegmentRow r, int take) {
        RenderRequest req = r.request().withSeed(seedFor(r.hash(), take));
        String label = c.title.get() + " §" + (r.segment().index() + 1) + " · " + r.speaker().name();
        queue.enqueue(new RenderJob(c, r.segment().index(), r.hash(), req, label, project.assetsDir()));
    }

    /** Makes take {@code takeId} the one a segment plays and exports. */
    public void chooseTake(ChapterViewModel c, String hash, String takeId) {
        RenderedSegment rs = c.rendered().get(hash);
        if (rs == null || takeId.equals(rs.chosenTakeId())) return;
        c.putRendered(new RenderedSegment(hash, rs.takes(), takeId));
    }

    /** Chooses one of {@link #takes()} for the selected segment. */
    public void chooseTake(Take t) {
        SegmentRow r = selectedSegment.get();
        ChapterViewModel c = project.selectedChapter();
        if (r == null || c == null || t == null || r.rendered() == null) return;
        chooseTake(c, r.hash(), t.id());
        chosenTake.set(t);
    }

    private final class TakeSink implements RenderQueueViewModel.Sink {
        @Override
        public Take store(RenderJob job, AudioClip audio) throws IOException {
            String id = Project.newId();
            Path rel = Path.of("takes", job.hash + "-" + id + ".wav");
            new AudioExporter().export(audio, job.assetsDir.resolve(rel), AudioExporter.Format.WAV16);
            BackendInfo b = session.backend();
            // the take checks (rate, silences, clipping, ending, loops), on the worker thread; their reason is kept with the take
            String qa = new org.higgsnarrator.qa.TakeQa().check(0, new org.higgsnarrator.qa.TakeQa.Take(audio, job.request.text())).reason();
            // a take rendered on a server says so: the model named is the one loaded here, the server's should be the same
            String where = job.renderer();
            String model = (b == null ? "" : b.modelName()) + (where.isEmpty() || RenderQueueViewModel.LOCAL.equals(where) ? "" : " on " + where);
            return new Take(id, rel.toString(), audio.seconds(), job.request.seed(), Instant.now().toString(), model, qa);
        }

        @Override
        public void accept(RenderJob job, Take take) {
            if (!project.chapters().contains(job.chapter)) return; // finished after its project was closed: the file stays in its assets
            RenderedSegment old = job.chapter.rendered().get(job.hash);
            List<Take> all = new ArrayList<>(old == null ? List.of() : old.takes());
            all.add(take);
            job.chapter.putRendered(new RenderedSegment(job.hash, all, take.id()));
            project.autosave();   // the take's file is on disk: reference it in the project now, not at the next timer
        }
    }

    // ---------------------------------------------------------------- export

    public List<ExportFormat> exportFormats() {
        return service.exportFormats();
    }

    /** Exports the given chapters (all rendered) to one file. */
    public void export(List<ChapterViewModel> which, ExportFormat format, Path target) {
        List<String> missing = new ArrayList<>();
        for (ChapterViewModel c : which) {
            refresh(c);
            long n = c.segments().stream().filter(r -> !isUpToDate(r)).count();
            if (n > 0) missing.add(c.title.get() + " (" + n + " not rendered)");
        }
        if (!missing.isEmpty()) {
            status.error("Render everything before exporting: " + String.join(", ", missing));
            return;
        }
        Path assets = project.assetsDir();
        List<List<SegmentRow>> rows = which.stream().map(c -> List.copyOf(c.segments())).toList();
        List<String> titles = which.stream().map(c -> c.title.get()).toList();
        String book = project.title();
        status.busy(true);
        exec.submit(() -> {
            List<ExportRequest.ChapterAudio> audio = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                List<Path> takes = new ArrayList<>();   // the chosen takes' files, as the player joins them
                for (SegmentRow r : rows.get(i)) {
                    Take t = r.chosenTake();
                    if (t != null && Files.isRegularFile(assets.resolve(t.file()))) takes.add(assets.resolve(t.file()));
                }
                audio.add(new ExportRequest.ChapterAudio(titles.get(i), takes));
            }
            return service.exportAudio(new ExportRequest(audio, book, format, target));
        }, (ExportReport rep) -> {
            status.busy(false);
            status.info(String.format("Exported %s (%.1f s). %s", rep.file().getFileName(), rep.seconds(), String.join(" ", rep.notes())));
        }, e -> {
            status.busy(false);
            status.error("Export failed: " + StatusViewModel.message(e));
        });
    }
}
