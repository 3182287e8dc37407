package org.higgsnarrator.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.higgsnarrator.book.BookReader;
import org.higgsnarrator.project.BookImport;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.render.BookRender;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.StudioApp;
import org.higgsnarrator.ui.concurrent.FxBackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.vm.BookRenderViewModel;
import org.higgsnarrator.ui.vm.BookRenderViewModel.ChapterRow;
import org.higgsnarrator.ui.vm.ChapterViewModel;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Render → Render book… on the bundled package, driven like a user: an imported three-chapter book is rendered into
 * a chosen folder with captions; each chapter's row goes through rendering (with progress between 0 and 1) to done and
 * the summary shows an ETA. A render cancelled half-way through chapter 2 continues when run again: chapter 1 is
 * skipped, chapter 2's finished segment reused.
 */
@ExtendWith(ApplicationExtension.class)
class BookRenderUiTest {
    @TempDir
    Path dir;
    final FxTestSupport.PresetDialogs dialogs = new FxTestSupport.PresetDialogs();
    StudioViewModel vm;
    StudioWindow window;

    @Start
    void start(Stage stage) {
        vm = new StudioViewModel(NarrationServices.create(), new FxBackgroundExecutor(), dir.resolve("settings.json"), System::nanoTime);
        window = FxTestSupport.studio(stage, vm, dialogs);
        StudioApp.loadDefaultModel(vm);
        stage.show();
    }

    private void waitFor(String what, java.util.concurrent.Callable<Boolean> cond) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, cond);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; status: " + vm.status.message() + "; " + vm.book.summaryProperty().get()
                    + "; " + vm.book.chapters(), e);
        }
    }

    /** A three-chapter Markdown book imported as the CLI does, with a small frame limit so that renders are quick. */
    static Path importedBook(Path dir) throws Exception {
        Path md = Files.writeString(dir.resolve("lighthouse.md"), """
                ---
                title: The Lighthouse
                author: Ada Quill
                ---
                # The Storm

                The wind rose at dusk. Waves struck the rocks.

                # The Light

                A lamp burned in the tower. Nobody answered.

                # Morning

                The sea was calm. Gulls circled the rocks.
                """);
        Path project = dir.resolve("lighthouse.narrator");
        BookImport.create(new BookReader().read(md), md, project, false);
        Project p = ProjectStore.load(project);
        // The random-weight model rarely stops by itself: 20 frames (0.8 s) per segment keep the test bounded.
        ProjectStore.save(new Project(p.formatVersion(), p.title(), p.speakers(), p.voices(), p.chapters(),
                new Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 20, 7), p.book(), p.lexicon()), project);
        return project;
    }

    @Test
    void rendersAnImportedBookWithPerChapterProgressAndContinuesAfterCancel(FxRobot robot) throws Exception {
        assertTrue(Files.isRegularFile(AppSettings.bundledModel().resolve("manifest.json")), "bundled model package missing at " + AppSettings.bundledModel());
        waitFor("model loaded", () -> vm.session.backend() != null && vm.session.backend().canRender());
        dialogs.openProject = importedBook(dir);
        robot.push(KeyCode.CONTROL, KeyCode.O);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3, vm.project.chapters().size(), vm.status.message());

        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.B);
        WaitForAsyncUtils.waitForFxEvents();
        BookRenderViewModel book = vm.book;
        assertEquals(List.of("The Storm", "The Light", "Morning"), book.chapters().stream().map(ChapterRow::title).toList());
        assertEquals(List.of(2, 2, 2), book.chapters().stream().map(ChapterRow::segments).toList());
        Path out = dir.resolve("audiobook");
        dialogs.folders.add(out);
        robot.clickOn("#bookChooseOutDir");
        robot.interact(() -> {
            book.setFormat("flac");
            book.setCaptions(BookRender.CaptionFormat.SRT);
        });
        assertEquals(out, book.outDirProperty().get());

        // What the dialog shows while it renders: every chapter's progress, the summary's ETA. Cancel once chapter 2
        // has one of its two segments done — on the rendering thread, so that it lands before the second one starts
        // (through the UI thread it could arrive after the whole chapter on a loaded machine).
        List<List<Double>> seen = List.of(Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()));
        List<String> summaries = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean cancelledFlag = new java.util.concurrent.atomic.AtomicBoolean();
        book.observeRender(new BookRender.Listener() {
            @Override
            public void segment(int number, int segment, int segments, boolean reused, double seconds) {
                if (number == 2 && cancelledFlag.compareAndSet(false, true)) book.cancelCommand.execute();
            }
        });
        robot.interact(() -> {
            for (int i = 0; i < 3; i++) {
                ChapterRow row = book.chapters().get(i);
                int k = i;
                row.progressProperty().addListener((o, a, b) -> seen.get(k).add(b.doubleValue()));
            }
            book.summaryProperty().addListener((o, a, b) -> summaries.add(b));
        });
        robot.clickOn("#bookRender");
        waitFor("the first render stops", () -> cancelledFlag.get() && !book.runningProperty().get());
        book.observeRender(null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(BookRenderViewModel.State.DONE, book.chapters().get(0).state(), book.chapters().toString());
        assertEquals(BookRenderViewModel.State.CANCELLED, book.chapters().get(1).state(), book.chapters().toString());
        assertTrue(book.summaryProperty().get().startsWith("Cancelled"), book.summaryProperty().get());
        assertTrue(Files.isRegularFile(out.resolve("01 - The Storm.flac")));
        assertTrue(!Files.exists(out.resolve("02 - The Light.flac")), "a cancelled chapter writes no file");
        assertTrue(seen.get(0).stream().anyMatch(p -> p > 0 && p < 1), "chapter 1's progress between 0 and 1: " + seen.get(0));
        assertTrue(summaries.stream().anyMatch(s -> s.matches(".*ETA \\d+:\\d\\d:\\d\\d.*")), "an ETA shown: " + summaries);
        // The takes rendered so far are in the open project (chapter 1 whole, chapter 2's first segment).
        ChapterViewModel first = vm.project.chapters().getFirst();
        assertTrue(first.segments().stream().allMatch(vm.segments::isUpToDate), "chapter 1's takes are in the project");

        // Render again: continues where it stopped.
        robot.clickOn("#bookRender");
        waitFor("the second render", () -> book.resultProperty().get() != null && !book.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(BookRenderViewModel.State.UP_TO_DATE, BookRenderViewModel.State.DONE, BookRenderViewModel.State.DONE),
                book.chapters().stream().map(ChapterRow::state).toList(), book.chapters().toString());
        assertTrue(book.chapters().get(1).detail().contains("1 rendered, 1 reused"), book.chapters().get(1).detail());
        assertTrue(book.chapters().stream().allMatch(c -> c.progress() == 1.0));
        assertEquals(1.0, book.progressProperty().get());
        BookRender.Result r = book.resultProperty().get();
        assertEquals(3, r.rendered(), "chapter 2's second segment and chapter 3's two");
        String summary = robot.lookup("#bookSummary").queryAs(Label.class).getText();
        assertTrue(summary.startsWith("Done: 3 segment(s) rendered, 1 reused"), summary);

        try (Stream<Path> files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
            assertTrue(names.containsAll(List.of("01 - The Storm.flac", "01 - The Storm.srt", "02 - The Light.flac", "02 - The Light.srt",
                    "03 - Morning.flac", "03 - Morning.srt")), names.toString());
        }
        // With ffmpeg (found on the PATH or beside the install) the book is also one M4B with chapter markers.
        if (book.formats().contains("m4b")) assertTrue(Files.size(out.resolve("The Lighthouse.m4b")) > 0);
        String srt = Files.readString(out.resolve("02 - The Light.srt"));
        assertTrue(srt.indexOf("The Light") < srt.indexOf("A lamp burned in the tower.") && srt.indexOf("A lamp burned in the tower.") < srt.indexOf("Nobody answered."), srt);
        for (ChapterViewModel c : vm.project.chapters()) assertTrue(c.segments().stream().allMatch(vm.segments::isUpToDate), c.title.get());
        Path png = FxTestSupport.screenshot(robot, robot.window("Render book").getScene().getRoot(), "studio-render-book");
        assertTrue(Files.size(png) > 10_000);
        // The takes are saved in the project file, so ./narrator render finds them too.
        robot.push(KeyCode.CONTROL, KeyCode.S);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(ProjectStore.load(vm.project.projectFile()).chapters().stream().allMatch(c -> c.rendered().size() == 2));
    }
}
