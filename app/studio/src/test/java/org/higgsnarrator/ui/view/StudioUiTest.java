package org.higgsnarrator.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.StudioApp;
import org.higgsnarrator.ui.TestAudio;
import org.higgsnarrator.ui.concurrent.FxBackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.vm.RenderJob;
import org.higgsnarrator.ui.vm.SpeakerViewModel;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The studio driven like a user would (headless under Monocle): keyboard shortcuts, typing, a file drop through
 * the same handlers a real drag-and-drop reaches. Each test writes a screenshot to screenshots/.
 */
@ExtendWith(ApplicationExtension.class)
class StudioUiTest {
    @TempDir
    Path dir;
    final FxTestSupport.PresetDialogs dialogs = new FxTestSupport.PresetDialogs();
    StudioViewModel vm;
    StudioWindow window;

    @Start
    void start(Stage stage) {
        vm = new StudioViewModel(NarrationServices.create(), new FxBackgroundExecutor(), dir.resolve("settings.json"), System::nanoTime);
        window = new StudioWindow(vm, dialogs);
        stage.setScene(StudioApp.scene(window));
        stage.setWidth(1280);
        stage.setHeight(800);
        StudioApp.install(stage, vm);
        StudioApp.loadDefaultModel(vm);
        stage.show();
    }

    static final String[] LINES = {
        "The rain had not stopped for three days.",
        "",
        "Alice: Did you hear that? [laugh]",
        "Bob: Only the wind, I promise.",
    };

    private void createProjectAndTypeScript(FxRobot robot) {
        dialogs.newProject = dir.resolve("novel");
        robot.push(KeyCode.CONTROL, KeyCode.N);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(dir.resolve("novel.narrator"), vm.projectFile.get(), vm.status.get());
        robot.clickOn("#chapterTitle").eraseText(9).write("The Storm");
        robot.clickOn("#script");
        for (String line : LINES) {
            robot.write(line);
            robot.type(KeyCode.ENTER);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void waitFor(String what, java.util.concurrent.Callable<Boolean> cond) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, cond);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; status: " + vm.status.get(), e);
        }
    }

    @Test
    void createProjectTypeTwoSpeakersDropAVoice(FxRobot robot) throws Exception {
        createProjectAndTypeScript(robot);
        assertEquals(String.join("\n", LINES) + "\n", vm.selectedChapter.get().script.get());
        // The cast picks up Alice and Bob after a pause in typing.
        waitFor("cast sync", () -> vm.speakers.size() == 3);
        assertEquals(List.of("Narrator", "Alice", "Bob"), vm.speakers.stream().map(s -> s.name.get()).toList());
        assertEquals(3, vm.selectedChapter.get().segments.size());

        // Drop a real WAV file onto Alice in the cast.
        Path wav = TestAudio.writeWav(dir.resolve("alice-reference.wav"), 44_100, 2, 0.5, 6.0);
        Node aliceCell = robot.lookup("#speaker-1").query();
        FxTestSupport.dropFiles(robot, aliceCell, List.of(wav));
        SpeakerViewModel alice = vm.speakerByName("Alice");
        waitFor("voice prepared", () -> alice.voice.get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("alice-reference", alice.voice.get().name.get());
        assertTrue(vm.status.get().contains("transcript"), vm.status.get());

        robot.clickOn("#transcript").write("Hello, this is Alice reading a short sentence for the clone.");
        assertEquals("Hello, this is Alice reading a short sentence for the clone.", alice.voice.get().transcript.get());
        assertTrue(window.player.waveform.drawnColumns() > 500, "waveform columns: " + window.player.waveform.drawnColumns());
        robot.clickOn("#segments").type(KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();

        robot.push(KeyCode.CONTROL, KeyCode.S);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(vm.toProject(), ProjectStore.load(vm.projectFile.get()));
        Path png = FxTestSupport.screenshot(robot, window.getScene().getRoot(), "studio-voice-dropped");
        assertTrue(Files.size(png) > 10_000);
    }

    @Test
    void effectTagMenuAndShortcut(FxRobot robot) throws Exception {
        createProjectAndTypeScript(robot);
        robot.write("Alice: ");
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT2); // Humming (a span tag) with nothing selected: start … end
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.selectedChapter.get().script.get().endsWith("Alice: [humming start]  [humming end]"), vm.selectedChapter.get().script.get());
        robot.push(KeyCode.CONTROL, KeyCode.T);
        WaitForAsyncUtils.waitForFxEvents();
        Path png = FxTestSupport.screenshot(robot, window.getScene().getRoot(), "studio-script-effects");
        assertTrue(Files.size(png) > 10_000);
        robot.type(KeyCode.ESCAPE);
    }

    @Test
    void settingsSayPlainlyThatTheTestModelDoesNotSpeak(FxRobot robot) throws Exception {
        // A package manifest as the converter writes it for a random-weight test model (only the fields read here).
        Path pkg = Files.createDirectories(dir.resolve("tiny-test-package"));
        Files.writeString(pkg.resolve("manifest.json"),
                "{\"formatVersion\": 1, \"name\": \"higgs-tiny-random\", \"randomWeights\": true, \"precision\": \"fp32\"}");
        dialogs.modelDir = pkg;
        dialogs.newProject = dir.resolve("s");
        robot.push(KeyCode.CONTROL, KeyCode.N);
        robot.clickOn("#settings");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Browse…");
        Node dialogRoot = robot.window("Settings").getScene().getRoot();
        FxTestSupport.screenshot(robot, dialogRoot, "studio-settings");
        robot.clickOn("OK");
        waitFor("model loaded", () -> vm.backend.get() != null && pkg.equals(vm.backend.get().packageDir()));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.Label banner = robot.lookup("#banner").queryAs(javafx.scene.control.Label.class);
        assertTrue(banner.isVisible() && banner.getText().contains("random-weight TEST model") && banner.getText().contains("does not speak"),
                banner.getText());
        assertTrue(robot.lookup("#backend").queryAs(javafx.scene.control.Label.class).getText().contains("does not speak"));
        assertEquals(pkg.toString(), vm.appSettings.get().modelPackage(), "the choice is remembered");
        FxTestSupport.screenshot(robot, window.getScene().getRoot(), "studio-test-model-banner");
        // Precision belongs to the package (chosen when converting): Settings shows it and offers no choice that
        // would do nothing (it used to offer auto/fp32/…/int4 and ignore the answer)
        robot.clickOn("#settings");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.Label precision = robot.lookup("#packagePrecision").queryAs(javafx.scene.control.Label.class);
        assertTrue(precision.getText().startsWith("fp32") && precision.getText().contains("Models"), precision.getText());
        assertTrue(robot.lookup(".choice-box").queryAllAs(javafx.scene.control.ChoiceBox.class).stream()
                .noneMatch(c -> c.getItems().contains(org.higgsnarrator.pkg.Precision.INT4) || c.getItems().contains("int4")), "no precision choice");
        robot.clickOn("Cancel");
    }

    /** Renders on the bundled model through the engine adapter (both always present: a missing one is a failure). */
    @Test
    void renderChapterOnBundledModelShowsWaveform(FxRobot robot) throws Exception {
        assertTrue(NarrationServices.engineAvailable(),
                "no NarrationService engine adapter on the classpath (docs/studio.md, Adapter: META-INF/services registration)");
        assertTrue(Files.isRegularFile(AppSettings.bundledModel().resolve("manifest.json")),
                "bundled model package missing at " + AppSettings.bundledModel() + " — re-export it (docs/model-package.md)");
        waitFor("model loaded", () -> vm.backend.get() != null && vm.backend.get().canRender());
        WaitForAsyncUtils.waitForFxEvents();
        String backendText = robot.lookup("#backend").queryAs(javafx.scene.control.Label.class).getText();
        assertTrue(backendText.contains(vm.backend.get().deviceName()) && backendText.contains("does not speak"), backendText);
        assertTrue(!vm.backend.get().deviceReason().isBlank() && vm.status.get().contains(vm.backend.get().deviceReason()), vm.status.get());
        createProjectAndTypeScript(robot);
        waitFor("cast sync", () -> vm.speakers.size() == 3);
        // Short takes keep the test bounded: the random-weight model rarely stops by itself before the frame limit.
        robot.interact(() -> vm.settings.set(new org.higgsnarrator.project.Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 40, 7)));
        robot.type(KeyCode.F5);
        waitFor("renders finished", () -> !vm.queue.jobs.isEmpty() && vm.queue.jobs.stream().allMatch(RenderJob::isFinished));
        assertTrue(vm.queue.jobs.stream().allMatch(j -> j.state.get() == RenderJob.State.DONE),
                vm.queue.jobs.stream().map(j -> j.message.get()).toList().toString());
        robot.push(KeyCode.CONTROL, KeyCode.L);
        waitFor("chapter audio", () -> vm.player.clip.get() != null && vm.player.spans.get().size() == 3);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.player.waveform.drawnColumns() > 100);
        FxTestSupport.screenshot(robot, window.getScene().getRoot(), "studio-rendered-chapter");
    }
}
