package org.higgsnarrator.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.concurrent.FxBackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.vm.ChapterViewModel;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** File → Import book (Ctrl+I), driven like a user: the book becomes a project with one chapter per chapter. */
@ExtendWith(ApplicationExtension.class)
class BookImportUiTest {
    @TempDir
    Path dir;
    final FxTestSupport.PresetDialogs dialogs = new FxTestSupport.PresetDialogs();
    StudioViewModel vm;
    StudioWindow window;

    @Start
    void start(Stage stage) {
        vm = new StudioViewModel(NarrationServices.create(), new FxBackgroundExecutor(), dir.resolve("settings.json"), System::nanoTime);
        window = FxTestSupport.studio(stage, vm, dialogs);
        stage.show();
    }

    @Test
    void importsAMarkdownBookFromTheFileMenu(FxRobot robot) throws Exception {
        Path book = Files.writeString(dir.resolve("lighthouse.md"), """
                ---
                title: The Lighthouse
                author: Ada Quill
                ---
                # The Storm

                The wind rose at dusk. Waves struck the rocks.

                # The Light

                “Is anyone there?” she called.[^1]

                # Morning

                The sea was calm.

                [^1]: She was alone.
                """);
        dialogs.files.add(book);
        dialogs.newProject = dir.resolve("lighthouse");
        robot.push(KeyCode.CONTROL, KeyCode.I);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.project.chapters().size() == 3 && !vm.status.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(dir.resolve("lighthouse.narrator"), vm.project.projectFile(), vm.status.message());
        assertEquals("The Lighthouse", vm.project.title());
        assertEquals(List.of("The Storm", "The Light", "Morning"), vm.project.chapters().stream().map(c -> c.title.get()).toList());
        ChapterViewModel second = vm.project.chapters().get(1);
        assertEquals("The Light\n\n“Is anyone there?” she called.", second.script.get());
        assertTrue(vm.status.message().contains("Imported \"The Lighthouse\" by Ada Quill: 3 chapter(s)"), vm.status.message());
        // Saving from the studio keeps what the import stored about the book.
        robot.push(KeyCode.CONTROL, KeyCode.S);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Ada Quill", ProjectStore.load(vm.project.projectFile()).book().author());
        Path png = FxTestSupport.screenshot(robot, window.getScene().getRoot(), "studio-book-imported");
        assertTrue(Files.size(png) > 10_000);

        // A file that is not a book: the status line says what it is and nothing is created.
        dialogs.files.add(Files.writeString(dir.resolve("scan.pdf"), "%PDF-1.7"));
        dialogs.newProject = dir.resolve("scan");
        robot.push(KeyCode.CONTROL, KeyCode.I);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.status.isError());
        assertTrue(vm.status.message().contains("scan.pdf") && vm.status.message().contains("is a PDF"), vm.status.message());
        assertTrue(!Files.exists(dir.resolve("scan.narrator")));
    }
}
