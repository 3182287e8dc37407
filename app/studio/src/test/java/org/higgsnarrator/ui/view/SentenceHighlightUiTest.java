package org.higgsnarrator.ui.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.StudioApp;
import org.higgsnarrator.ui.concurrent.FxBackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.vm.PlayerViewModel;
import org.higgsnarrator.ui.vm.RenderJob;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * While a chapter plays, the sentence being spoken is highlighted in the script, timed from the sentence timings the
 * captions use. A chapter rendered on the bundled package, loaded into the player; the playhead moved through the
 * player's API (as the audio output and waveform clicks move it); the editor's styled range checked at two positions.
 */
@ExtendWith(ApplicationExtension.class)
class SentenceHighlightUiTest {
    @TempDir
    Path dir;
    final FxTestSupport.PresetDialogs dialogs = new FxTestSupport.PresetDialogs();
    StudioViewModel vm;
    StudioWindow window;

    static final String SCRIPT = "It was late. The lamp\nwas lit.\n\nNobody came to the door.";

    @Start
    void start(Stage stage) {
        vm = new StudioViewModel(NarrationServices.create(), new FxBackgroundExecutor(), dir.resolve("settings.json"), System::nanoTime);
        window = FxTestSupport.studio(stage, vm, dialogs);
        StudioApp.loadDefaultModel(vm);
        stage.show();
    }

    private void waitFor(String what, java.util.concurrent.Callable<Boolean> cond) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, cond);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; status: " + vm.status.message(), e);
        }
    }

    /** The range of the editor's text styled as the current sentence, as [start, end), or null (from its style spans). */
    private int[] styledSentence() {
        var area = window.editor.area();
        List<int[]> ranges = new ArrayList<>();
        int at = 0;
        for (var span : area.getStyleSpans(0, area.getLength())) {
            if (span.getStyle().contains("current-sentence")) {
                if (!ranges.isEmpty() && ranges.getLast()[1] == at) ranges.getLast()[1] = at + span.getLength();
                else ranges.add(new int[] {at, at + span.getLength()});
            }
            at += span.getLength();
        }
        assertTrue(ranges.size() <= 1, "one contiguous range");
        if (ranges.isEmpty()) return null;
        // A paragraph's line break carries the style of the character before it in RichTextFX's spans: not part of the range.
        int[] r = ranges.getFirst();
        while (r[1] > r[0] && area.getText().charAt(r[1] - 1) == '\n') r[1]--;
        return r;
    }

    private void moveTo(FxRobot robot, double seconds) {
        robot.interact(() -> vm.player.playbackAt(seconds));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theSentenceBeingSpokenIsHighlighted(FxRobot robot) throws Exception {
        assertTrue(Files.isRegularFile(AppSettings.bundledModel().resolve("manifest.json")), "bundled model package missing at " + AppSettings.bundledModel());
        waitFor("model loaded", () -> vm.session.backend() != null && vm.session.backend().canRender());
        dialogs.newProject = dir.resolve("late");
        robot.push(KeyCode.CONTROL, KeyCode.N);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            window.editor.area().replaceText(SCRIPT);
            // ≈ 1.6 s per segment: enough for two sentences, quick on the random-weight model
            vm.project.setGenerationSettings(new org.higgsnarrator.project.Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 40, 7));
        });
        assertEquals(SCRIPT, vm.project.selectedChapter().script.get());
        robot.type(KeyCode.F5);
        waitFor("renders finished", () -> vm.queue.jobs().size() == 2 && vm.queue.jobs().stream().allMatch(RenderJob::isFinished));
        assertTrue(vm.queue.jobs().stream().allMatch(j -> j.state() == RenderJob.State.DONE), vm.queue.jobs().stream().map(RenderJob::message).toList().toString());
        robot.push(KeyCode.CONTROL, KeyCode.L);
        waitFor("chapter audio", () -> vm.player.clip() != null && vm.player.spans().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();

        List<PlayerViewModel.Sentence> s = vm.player.sentences();
        assertEquals(List.of("It was late.", "The lamp was lit.", "Nobody came to the door."), s.stream().map(x -> x.cue().text()).toList());
        int late = SCRIPT.indexOf("It was late."), lamp = SCRIPT.indexOf("The lamp"), nobody = SCRIPT.indexOf("Nobody");

        // Inside the first sentence: exactly "It was late." is highlighted (and nothing while between takes).
        moveTo(robot, s.get(0).cue().start() + 0.4 * (s.get(0).cue().end() - s.get(0).cue().start()));
        assertEquals(s.get(0), vm.player.currentSentenceProperty().get());
        assertArrayEquals(new int[] {late, late + "It was late.".length()}, styledSentence());
        assertArrayEquals(new int[] {late, late + "It was late.".length()}, window.editor.highlightedSentence());
        // Inside the second sentence of the same take: the range moves to it, across its line break.
        moveTo(robot, s.get(1).cue().start() + 0.5 * (s.get(1).cue().end() - s.get(1).cue().start()));
        assertArrayEquals(new int[] {lamp, lamp + "The lamp\nwas lit.".length()}, styledSentence());
        assertTrue(window.editor.area().getStyleOfChar(lamp).contains("current-segment"), "inside the current segment's highlight");
        FxTestSupport.screenshot(robot, window.getScene().getRoot(), "studio-sentence-highlight");
        moveTo(robot, vm.player.startOf(1) - 0.1); // the pause between the takes
        assertNull(styledSentence());
        moveTo(robot, s.get(2).cue().start() + 0.2);
        assertArrayEquals(new int[] {nobody, SCRIPT.length()}, styledSentence());

        // Real playback moves the same highlight: play from the start and stop once the second sentence is reached.
        robot.interact(() -> vm.player.seek(0));
        robot.type(KeyCode.F8);
        waitFor("playback reaches sentence 2", () -> vm.player.positionProperty().get() > s.get(1).cue().start() + 0.05);
        robot.type(KeyCode.F8);
        waitFor("stopped", () -> !vm.player.playingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        PlayerViewModel.Sentence now = vm.player.currentSentenceProperty().get();
        assertEquals(vm.player.sentenceAt(vm.player.positionProperty().get()), now);
        java.util.Map<List<Integer>, int[]> ranges = java.util.Map.of(List.of(0, 0), new int[] {late, late + "It was late.".length()},
                List.of(0, 1), new int[] {lamp, lamp + "The lamp\nwas lit.".length()}, List.of(1, 0), new int[] {nobody, SCRIPT.length()});
        assertArrayEquals(now == null ? null : ranges.get(List.of(now.segmentIndex(), now.index())), styledSentence(),
                "the highlight follows the playhead at " + vm.player.positionProperty().get() + " s: " + now);
    }
}
