package org.higgsnarrator.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.higgsnarrator.ui.FirstRun;
import org.higgsnarrator.ui.StudioApp;
import org.higgsnarrator.ui.concurrent.FxBackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.vm.RenderJob;
import org.higgsnarrator.ui.vm.SegmentRow;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The first start as a new user meets it: the sample project is open, Render chapter works at once, and takes the
 * checks flag are marked in the segment list with the reason (screenshot studio-first-run-flagged-takes.png).
 */
@ExtendWith(ApplicationExtension.class)
class FirstRunUiTest {
    @TempDir
    static Path dir;
    StudioViewModel vm;
    StudioWindow window;

    @Start
    void start(Stage stage) {
        System.setProperty("narrator.documents.dir", dir.resolve("Documents").toString());
        vm = new StudioViewModel(NarrationServices.create(), new FxBackgroundExecutor(), dir.resolve("settings.json"), System::nanoTime);
        window = new StudioWindow(vm, new FxTestSupport.PresetDialogs());
        stage.setScene(StudioApp.scene(window));
        stage.setWidth(1280);
        stage.setHeight(800);
        StudioApp.install(stage, vm);
        StudioApp.loadDefaultModel(vm);
        StudioApp.openSample(vm);   // what StudioApp.start does when there is no settings file yet
        stage.show();
    }

    @AfterAll
    static void clear() {
        System.clearProperty("narrator.documents.dir");
    }

    @Test
    void sampleIsOpenAndRendersThenFlaggedTakesShowTheirReason(FxRobot robot) throws Exception {
        assertTrue(vm.project.projectFile().startsWith(FirstRun.projectsDir()), String.valueOf(vm.project.projectFile()));
        assertEquals(4, vm.project.selectedChapter().segments().size());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.session.backend() != null && vm.session.backend().canRender());
        // short takes: the bundled test model never ends a take by itself, so every take runs to the frame limit
        robot.interact(() -> vm.project.setGenerationSettings(new org.higgsnarrator.project.Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 50, 7)));
        robot.clickOn("#renderChapter");
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> !vm.queue.jobs().isEmpty()
                && vm.queue.jobs().stream().allMatch(j -> j.state() == RenderJob.State.DONE || j.state() == RenderJob.State.FAILED));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.queue.jobs().stream().allMatch(j -> j.state() == RenderJob.State.DONE),
                vm.queue.jobs().stream().map(j -> j.message()).toList().toString());
        ListView<SegmentRow> list = robot.lookup("#segments").queryListView();
        long flagged = list.getItems().stream().filter(r -> r.chosenTake() != null && r.chosenTake().flagged()).count();
        for (SegmentRow r : list.getItems()) System.out.println(r.status() + (r.chosenTake().flagged() ? "  <- " + r.chosenTake().qa() : ""));
        // the bundled test model does not speak (random weights): its takes fail the checks, which is what is shown
        assertTrue(flagged > 0, "the random-weight model's takes are flagged");
        for (SegmentRow r : list.getItems())
            if (r.chosenTake().flagged()) assertTrue(r.status().startsWith("⚑ check take"), r.status());
        robot.interact(() -> list.getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        Path png = FxTestSupport.screenshot(robot, window.getScene().getRoot(), "studio-first-run-flagged-takes");
        assertTrue(Files.size(png) > 10_000);
    }
}
