package org.higgsnarrator.ui.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.higgsnarrator.audio.Ffmpeg;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.RenderedSegment;
import org.higgsnarrator.render.BookRender;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.RemoteServer;
import org.higgsnarrator.render.BookRender.CaptionFormat;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationService;

/**
 * Render → Render book…: the open project as an audiobook in a folder the author chooses — what {@code ./narrator
 * render} does, through the same {@link BookRender} (chapter files, captions, the M4B with chapter markers, the
 * read-along EPUB), with each chapter's state and progress and an ETA for the whole render. Cancellable; running it
 * again continues (takes already rendered are reused, finished chapters skipped). New takes go into the open project
 * as the render queue's do (and the project is saved at once), so the segment list shows them.
 *
 * <p>The render runs on the studio's background executor; on this computer its segments are decoded in the engine's
 * one batch, beside the render queue's local jobs ({@link NarrationService#renderTogether}) — or, when Settings lists
 * render servers, on them ({@link #rendererProperty()}, docs/books.md).
 */
public final class BookRenderViewModel {
    public enum State { WAITING, UP_TO_DATE, RENDERING, DONE, CANCELLED, FAILED }

    /** One chapter of the render: its state, how far it is (0…1) and a line of detail. */
    public static final class ChapterRow {
        private final int number;
        private final String title;
        private final int segments;
        private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.WAITING);
        private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
        private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");
        private int segmentsDone, reused, rendered;

        ChapterRow(int number, String title, int segments) {
            this.number = number;
            this.title = title;
            this.segments = segments;
            reset();
        }

        private void reset() {
            segmentsDone = reused = rendered = 0;
            state.set(State.WAITING);
            progress.set(0);
            detail.set(segments + " segment(s)");
        }

        private boolean same(ChapterRow o) {
            return number == o.number && title.equals(o.title) && segments == o.segments;
        }

        public int number() {
            return number;
        }

        public String title() {
            return title;
        }

        public int segments() {
            return segments;
        }

        public ReadOnlyObjectProperty<State> stateProperty() {
            return state.getReadOnlyProperty();
        }

        public State state() {
            return state.get();
        }

        public ReadOnlyDoubleProperty progressProperty() {
            return progress.getReadOnlyProperty();
        }

        public double progress() {
            return progress.get();
        }

        /** e.g. "3 of 5 segments · 1 reused", "up to date", "12.4 s written". */
        public ReadOnlyStringProperty detailProperty() {
            return detail.getReadOnlyProperty();
        }

        public String detail() {
            return detail.get();
        }

        @Override
        public String toString() {
            return number + " " + title + " " + state.get() + " " + detail.get();
        }
    }

    private final ObservableList<ChapterRow> chapters = FXCollections.observableArrayList();
    private final ObservableList<ChapterRow> chaptersView = FXCollections.unmodifiableObservableList(chapters);
    private final ReadOnlyObjectWrapper<Path> outDir = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper format = new ReadOnlyStringWrapper("m4b");
    private final ReadOnlyObjectWrapper<CaptionFormat> captions = new ReadOnlyObjectWrapper<>(CaptionFormat.SRT);
    private final ReadOnlyBooleanWrapper readAlong = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyDoubleWrapper etaSeconds = new ReadOnlyDoubleWrapper(Double.NaN);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<BookRender.Result> result = new ReadOnlyObjectWrapper<>();

    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final LongSupplier nanoClock;
    private final StatusViewModel status;
    private final ProjectViewModel project;
    private final SessionViewModel session;
    private final ReadOnlyStringWrapper renderer = new ReadOnlyStringWrapper("");
    private volatile BookRender current;
    private int totalSegments, segmentsDone, toRender, renderedNow;
    private double lastEta = Double.NaN;
    private long etaAt;

    /** Renders the open project into {@link #outDirProperty()}. */
    public final Command renderCommand;
    /** Stops the render after the segment in progress is cancelled; what is done is kept. */
    public final Command cancelCommand;

    BookRenderViewModel(NarrationService service, BackgroundExecutor exec, LongSupplier nanoClock, StatusViewModel status, ProjectViewModel project,
                        SessionViewModel session) {
        this.service = service;
        this.exec = exec;
        this.nanoClock = nanoClock;
        this.status = status;
        this.project = project;
        this.session = session;
        session.renderServers().addListener((javafx.collections.ListChangeListener<RemoteServer>) ch -> showWhere());
        // every load, also of an equal backend (Settings → Segments at once reloads the same package): an invalidation
        // listener, the property read again so that the next load invalidates it again
        session.backendProperty().addListener((javafx.beans.Observable o) -> {
            session.backendProperty().get();
            showWhere();
        });
        showWhere();
        renderCommand = new Command(this::render, Bindings.createBooleanBinding(() -> project.projectOpenProperty().get() && outDir.get() != null && !running.get(),
                project.projectOpenProperty(), outDir, running));
        cancelCommand = new Command(this::cancel, running);
        project.addPart(p -> {
            cancel();
            chapters.clear();
            outDir.set(null);
            result.set(null);
            summary.set("");
        });
    }

    // ---------------------------------------------------------------- state

    /** The chapters of the last {@link #prepare()} or render, in book order. */
    public ObservableList<ChapterRow> chapters() {
        return chaptersView;
    }

    public ReadOnlyObjectProperty<Path> outDirProperty() {
        return outDir.getReadOnlyProperty();
    }

    /** m4b (chapter .m4a files and the .m4b book), mp3, flac or wav. */
    public ReadOnlyStringProperty formatProperty() {
        return format.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<CaptionFormat> captionsProperty() {
        return captions.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty readAlongProperty() {
        return readAlong.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The whole render, 0…1: segments done (rendered or reused; chapters up to date count whole) of all segments. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Estimated seconds left (NaN until the first segment is rendered): {@link BookRender}'s own estimate, counted down. */
    public ReadOnlyDoubleProperty etaSecondsProperty() {
        return etaSeconds.getReadOnlyProperty();
    }

    /** "4 of 9 segments · ETA 0:01:20", then what was written. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /**
     * Where the segments render: "this computer", or the render servers of Settings → Render servers — the whole book
     * goes to them, as {@code ./narrator render --server} does; when none of them answers at the start, this
     * computer renders (and the status line says why).
     */
    public ReadOnlyStringProperty rendererProperty() {
        return renderer.getReadOnlyProperty();
    }

    /**
     * The servers' renderer with the studio's keys: as the render queue does for its server lanes, a take rendered
     * there is keyed by the model this studio has loaded (the servers are meant to serve it) and labelled
     * "model on server", so the segment list shows it as this model's take.
     */
    private BookRender.SegmentRenderer onServers(org.higgsnarrator.render.RemoteSegments remote, List<RemoteServer> servers) {
        BackendInfo local = service.backend();
        BackendInfo labelled = new BackendInfo(local.modelName() + " on " + String.join(", ", servers.stream().map(RemoteServer::url).toList()),
                local.packageDir(), local.randomWeights(), local.precision(), local.device(), remote.backend().deviceReason(), 0, true, null, local.sampling());
        return new BookRender.SegmentRenderer() {
            @Override
            public BackendInfo backend() {
                return labelled;
            }

            @Override
            public String modelId() {
                return org.higgsnarrator.render.SegmentPlan.modelId(local);
            }

            @Override
            public org.higgsnarrator.ui.service.RenderTask render(org.higgsnarrator.ui.service.RenderRequest request, org.higgsnarrator.ui.service.RenderListener listener) {
                return remote.render(request, listener);
            }

            @Override
            public int parallelism() {
                return remote.parallelism();
            }
        };
    }

    private void showWhere() {
        renderer.set(where(List.copyOf(session.renderServers())));
    }

    private String where(List<RemoteServer> servers) {
        if (servers.isEmpty()) {
            int atOnce = service.segmentsAtOnce();
            return "Renders on this computer" + (atOnce > 1 ? ", " + atOnce + " segments at once" : "");
        }
        return "Renders on " + (servers.size() == 1 ? "the render server " + servers.getFirst().url()
                : servers.size() + " render servers (" + String.join(", ", servers.stream().map(RemoteServer::url).toList()) + ")");
    }

    /** The files of the last finished render (null before one finished). */
    public ReadOnlyObjectProperty<BookRender.Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The formats this machine can write: m4b needs ffmpeg. */
    public List<String> formats() {
        return Ffmpeg.find().isPresent() ? List.of("m4b", "mp3", "flac", "wav") : List.of("mp3", "flac", "wav");
    }

    // ---------------------------------------------------------------- commands with arguments

    public void setOutDir(Path dir) {
        if (!running.get()) outDir.set(dir == null ? null : dir.toAbsolutePath());
    }

    /** One of {@link #formats()}; others are refused with the reason in the status line. */
    public void setFormat(String f) {
        if (running.get() || f == null) return;
        String x = f.toLowerCase(Locale.ROOT);
        if (!formats().contains(x)) {
            status.error(x.equals("m4b") ? "M4B needs ffmpeg, which was not found: " + Ffmpeg.INSTALL_HINT + "; or choose MP3, FLAC or WAV."
                    : "Unknown format '" + f + "': choose one of " + formats() + ".");
            return;
        }
        format.set(x);
    }

    public void setCaptions(CaptionFormat c) {
        if (!running.get() && c != null) captions.set(c);
    }

    public void setReadAlong(boolean on) {
        if (!running.get()) readAlong.set(on);
    }

    /**
     * Fills the chapter list from the open project (before the dialog shows) and proposes an output folder beside the
     * project file when none is chosen. Does nothing while a render runs.
     */
    public void prepare() {
        if (running.get() || project.projectFile() == null) return;
        if (!formats().contains(format.get())) format.set(formats().getFirst());
        if (outDir.get() == null) {
            Path f = project.projectFile();
            String name = f.getFileName().toString().replaceFirst("\\.narrator$", "");
            outDir.set(f.resolveSibling(name + " audiobook"));
        }
        Project p = project.toProject();
        List<ChapterRow> rows = new ArrayList<>();
        for (int i = 0; i < p.chapters().size(); i++) {
            Project.Chapter c = p.chapters().get(i);
            rows.add(new ChapterRow(i + 1, c.title(), org.higgsnarrator.ui.script.ScriptParser.parse(c.script()).size()));
        }
        // The same chapters keep their rows (a view may watch them), reset for the next render.
        boolean same = rows.size() == chapters.size();
        for (int i = 0; same && i < rows.size(); i++) same = rows.get(i).same(chapters.get(i));
        if (same) chapters.forEach(ChapterRow::reset);
        else chapters.setAll(rows);
        progress.set(0);
        etaSeconds.set(Double.NaN);
        if (!chapters.isEmpty()) summary.set(chapters.size() + " chapter(s), " + rows.stream().mapToInt(ChapterRow::segments).sum() + " segment(s)");
    }

    private void render() {
        if (!project.checkCanRender()) return;
        prepare();
        Path file = project.projectFile();
        BookRender.Options options;
        try {
            options = new BookRender.Options(outDir.get(), java.util.Set.of(), format.get(), captions.get(), readAlong.get());
        } catch (IllegalArgumentException e) {
            status.error(e.getMessage());
            return;
        }
        Project snapshot = project.toProject();
        BookRender r = new BookRender(service, file, snapshot, this::storeTake);
        current = r;
        totalSegments = chapters.stream().mapToInt(ChapterRow::segments).sum();
        segmentsDone = 0;
        toRender = 0;
        renderedNow = 0;
        lastEta = Double.NaN;
        result.set(null);
        running.set(true);
        summary.set("Starting…");
        status.info("Rendering the book into " + outDir.get() + "…");
        BookRender.Listener observer = renderObserver;
        BookRender.Listener ui = new UiListener();
        List<RemoteServer> servers = List.copyOf(session.renderServers());
        String[] fallback = {null};
        exec.submit(() -> {
            if (!servers.isEmpty()) {
                List<org.higgsnarrator.serve.RenderServer> clients = new ArrayList<>();
                for (RemoteServer s : servers) clients.add(org.higgsnarrator.ui.service.BasicNarrationService.client(s, java.time.Duration.ofMinutes(30)));
                try {
                    r.renderOn(onServers(new org.higgsnarrator.render.RemoteSegments(clients, 1), servers)); // asks each for its model (and the key)
                } catch (java.io.IOException e) {
                    fallback[0] = e.getMessage();
                }
            }
            return r.render(options, observer == null ? ui : BookRender.Listener.both(observer, ui));
        }, res -> {
            current = null;
            running.set(false);
            result.set(res);
            progress.set(1);
            etaSeconds.set(0);
            String files = res.chapters().size() + " chapter file(s)" + (res.book() == null ? "" : ", " + res.book().getFileName())
                    + (res.readAlong() == null ? "" : ", " + res.readAlong().getFileName());
            summary.set(String.format(Locale.ROOT, "Done: %d segment(s) rendered, %d reused · %s", res.rendered(), res.reused(), files));
            status.info("Book rendered into " + outDir.get() + ": " + files + "."
                    + (fallback[0] == null ? "" : " Rendered on this computer: " + fallback[0].replace('\n', ' ')));
        }, e -> {
            current = null;
            running.set(false);
            etaSeconds.set(Double.NaN);
            boolean cancelled = e instanceof CancellationException;
            for (ChapterRow c : chapters) {
                if (c.state.get() == State.RENDERING) c.state.set(cancelled ? State.CANCELLED : State.FAILED);
            }
            if (cancelled) {
                summary.set("Cancelled after " + renderedNow + " new segment(s): Render again continues where it stopped.");
                status.info("Book render cancelled; the takes rendered so far are kept.");
            } else {
                summary.set("Failed: " + StatusViewModel.message(e));
                status.error("Book render failed: " + StatusViewModel.message(e));
            }
        });
    }

    /** Also told of the render's events, on the rendering thread and before the dialog hears of them; null for none. */
    private volatile BookRender.Listener renderObserver;

    /**
     * Sets a listener of the next renders' events, called on the rendering thread before the dialog's own (for
     * embedders, and for tests that must act at an exact point: a cancel there lands before the next segment starts).
     */
    public void observeRender(BookRender.Listener listener) {
        renderObserver = listener;
    }

    private void cancel() {
        BookRender r = current;
        if (r != null) r.cancel();
    }

    /** Rendering thread: the take's file is written; record it in the open project (UI thread) and save. */
    private void storeTake(String chapterId, String hash, Project.Take take) {
        exec.onUi(() -> {
            for (ChapterViewModel c : project.chapters()) {
                if (!c.id.equals(chapterId)) continue;
                RenderedSegment old = c.rendered().get(hash);
                List<Project.Take> all = new ArrayList<>(old == null ? List.of() : old.takes());
                all.add(take);
                c.putRendered(new RenderedSegment(hash, all, take.id()));
                project.autosave();
            }
        });
    }

    private ChapterRow row(int number) {
        return number >= 1 && number <= chapters.size() ? chapters.get(number - 1) : null;
    }

    private void updateSummary() {
        progress.set(totalSegments == 0 ? 0 : Math.min(1, segmentsDone / (double) totalSegments));
        double eta = etaSeconds.get();
        String e = Double.isNaN(eta) ? "ETA after the first segment" : "ETA " + clock(eta);
        summary.set(segmentsDone + " of " + totalSegments + " segment(s)" + (toRender > 0 ? " · " + renderedNow + " of " + toRender + " to render" : "") + " · " + e);
    }

    /** h:mm:ss */
    public static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** BookRender's events, moved to the UI thread. */
    private final class UiListener implements BookRender.Listener {
        @Override
        public void chapter(int number, int count, String title, int segments, boolean upToDate) {
            exec.onUi(() -> {
                ChapterRow c = row(number);
                if (c == null) return;
                c.state.set(upToDate ? State.UP_TO_DATE : State.RENDERING);
                if (upToDate) {
                    c.progress.set(1);
                    c.detail.set("up to date (skipped)");
                    segmentsDone += c.segments;
                } else {
                    c.detail.set("0 of " + c.segments + " segment(s)");
                }
                updateSummary();
            });
        }

        @Override
        public void segment(int number, int segment, int segments, boolean reused, double seconds) {
            exec.onUi(() -> {
                ChapterRow c = row(number);
                if (c == null) return;
                c.segmentsDone++;
                if (reused) c.reused++;
                else c.rendered++;
                segmentsDone++;
                c.progress.set(c.segmentsDone / (double) Math.max(1, c.segments));
                c.detail.set(c.segmentsDone + " of " + c.segments + " segment(s)" + (c.reused > 0 ? " · " + c.reused + " reused" : ""));
                updateSummary();
            });
        }

        @Override
        public void segmentProgress(int number, int segment, Progress p) {
            double f = p.fraction();
            if (Double.isNaN(f)) return;
            exec.onUi(() -> {
                ChapterRow c = row(number);
                if (c == null || c.state.get() != State.RENDERING) return;
                c.progress.set(Math.min(1, (c.segmentsDone + f) / Math.max(1, c.segments)));
                c.detail.set(c.segmentsDone + " of " + c.segments + " segment(s) · rendering §" + segment + String.format(Locale.ROOT, " %.0f %%", 100 * f)
                        + (c.reused > 0 ? " · " + c.reused + " reused" : ""));
                if (!Double.isNaN(lastEta)) {
                    // counted down between BookRender's estimates (made after each rendered segment)
                    etaSeconds.set(Math.max(0, lastEta - (nanoClock.getAsLong() - etaAt) / 1e9));
                    updateSummary();
                }
            });
        }

        @Override
        public void progress(int renderedSegments, int segmentsToRender, double secondsLeft) {
            exec.onUi(() -> {
                renderedNow = renderedSegments;
                toRender = segmentsToRender;
                lastEta = secondsLeft;
                etaAt = nanoClock.getAsLong();
                etaSeconds.set(secondsLeft);
                updateSummary();
            });
        }

        @Override
        public void chapterDone(BookRender.ChapterOutput out) {
            exec.onUi(() -> {
                ChapterRow c = row(out.number());
                if (c == null || out.skipped()) return;
                c.state.set(State.DONE);
                c.progress.set(1);
                c.detail.set(String.format(Locale.ROOT, "%s · %.1f s%s", out.audio().getFileName(), out.seconds(),
                        c.reused > 0 ? " · " + c.rendered + " rendered, " + c.reused + " reused" : ""));
            });
        }

        @Override
        public void note(String message) {
            exec.onUi(() -> status.info(message));
        }
    }
}
