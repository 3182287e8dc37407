package org.higgsnarrator.ui.vm;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationService;

/**
 * The composition root of the studio's view models: one per area, sharing one service, one executor and one
 * status line. Each area exposes read-only state and commands; views bind to them and call the commands.
 * <ul>
 *   <li>{@link #project}: file, chapters, generation settings, unsaved changes, new/open/save;</li>
 *   <li>{@link #cast}: speakers and the voice library, cloning from a recording, previews;</li>
 *   <li>{@link #segments}: segment rows, rendering, takes, export — and its {@link #queue};</li>
 *   <li>{@link #book}: the whole book rendered into a folder as an audiobook;</li>
 *   <li>{@link #player}: the loaded audio and the playhead;</li>
 *   <li>{@link #session}: the loaded model and the app settings; {@link #status}: the status line.</li>
 * </ul>
 */
public final class StudioViewModel implements AutoCloseable {
    public final StatusViewModel status = new StatusViewModel();
    public final SessionViewModel session;
    public final ProjectViewModel project;
    public final PlayerViewModel player;
    public final CastViewModel cast;
    public final SegmentsViewModel segments;
    public final RenderQueueViewModel queue;
    /** Render → Render book…: the project as an audiobook in a folder (chapter files, M4B, captions, read-along). */
    public final BookRenderViewModel book;

    private final NarrationService service;
    private final BackgroundExecutor exec;

    public StudioViewModel(NarrationService service, BackgroundExecutor exec, Path settingsFile, LongSupplier nanoClock) {
        this.service = service;
        this.exec = exec;
        session = new SessionViewModel(service, exec, status, settingsFile);
        project = new ProjectViewModel(status, session);
        player = new PlayerViewModel(service, exec, status, project);
        cast = new CastViewModel(service, exec, status, project, player);
        segments = new SegmentsViewModel(service, exec, nanoClock, status, session, project, cast);
        queue = segments.queue;
        book = new BookRenderViewModel(service, exec, nanoClock, status, project, session);
    }

    /** File → Import book: the book becomes a new project at {@code target}, opened when done. */
    public void importBook(Path book, Path target) {
        project.importBook(book, target, exec);
    }

    /** The most useful message of a failure (kept here for callers outside the areas). */
    public static String message(Throwable e) {
        return StatusViewModel.message(e);
    }

    @Override
    public void close() {
        queue.close(); // unfinished renders stay in their project's queue.json: the next open offers Resume
        book.cancelCommand.execute();
        session.close();
        exec.close();
        service.close();
    }
}
