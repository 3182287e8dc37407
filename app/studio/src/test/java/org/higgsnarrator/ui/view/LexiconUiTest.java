package org.higgsnarrator.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.higgsnarrator.lexicon.LexiconRule;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.concurrent.FxBackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Edit → Pronunciation lexicon: rules typed, tried, kept; a rule that touches a segment re-hashes it (its takes go out of date). */
@ExtendWith(ApplicationExtension.class)
class LexiconUiTest {
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
    void rulesAreTriedKeptAndMarkTheSegmentsTheyChange(FxRobot robot) throws Exception {
        dialogs.newProject = dir.resolve("names");
        robot.push(KeyCode.CONTROL, KeyCode.N);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#script").write("Hermione waved.\n\nThe sea was calm.\n");
        WaitForAsyncUtils.waitForFxEvents();
        var segments = vm.project.selectedChapter().segments();
        assertEquals(2, segments.size());
        String before0 = segments.get(0).hash(), before1 = segments.get(1).hash();

        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L);
        WaitForAsyncUtils.waitForFxEvents();
        TextArea area = robot.lookup("#lexiconText").queryAs(TextArea.class);
        robot.interact(() -> area.appendText("\nHermione = Her-my-oh-nee\n"));
        robot.clickOn("#trySample").write("Hermione");
        robot.clickOn("#tryShow");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("The model reads: Her-my-oh-nee.", robot.lookup("#trySpoken").queryAs(Label.class).getText());
        Node dialog = robot.window("Pronunciation lexicon").getScene().getRoot();
        Path png = FxTestSupport.screenshot(robot, dialog, "studio-lexicon");
        assertTrue(Files.size(png) > 5_000);
        robot.clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals(java.util.List.of(LexiconRule.word("Hermione", "Her-my-oh-nee", false)), vm.project.lexicon());
        assertNotEquals(before0, vm.project.selectedChapter().segments().get(0).hash(), "the rule changes segment 1: its takes are out of date");
        assertEquals(before1, vm.project.selectedChapter().segments().get(1).hash(), "segment 2 has no match: its takes stay valid");
        assertEquals("Hermione waved.\n\nThe sea was calm.\n", vm.project.selectedChapter().script.get(), "the editor's text is not changed");
        robot.push(KeyCode.CONTROL, KeyCode.S);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, ProjectStore.load(vm.project.projectFile()).lexicon().size());

        // A rule that does not parse keeps the dialog open and says which line.
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L);
        WaitForAsyncUtils.waitForFxEvents();
        TextArea again = robot.lookup("#lexiconText").queryAs(TextArea.class);
        robot.interact(() -> again.appendText("no equals sign here\n"));
        robot.clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();
        String err = robot.lookup("#lexiconError").queryAs(Label.class).getText();
        assertTrue(err.contains("line") && err.contains("word = replacement"), err);
        robot.clickOn("Cancel");
        assertEquals(1, vm.project.lexicon().size());
    }
}
