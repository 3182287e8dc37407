package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.render.BookRender;
import org.higgsnarrator.ui.service.BasicNarrationService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The player area: loading a chapter's takes, the playhead and what the audio output reports. */
class PlayerViewModelTest {
    @TempDir
    Path dir;
    StudioViewModel vm;
    PlayerViewModel player;

    @BeforeEach
    void setUp() {
        vm = StudioFixture.studio(dir);
        player = vm.player;
    }

    @Test
    void loadChapterJoinsTakesAndThePlayheadFindsSegments() throws Exception {
        assertTrue(player.loadChapterCommand.disabledProperty().get(), "no chapter");
        vm.project.newProject(dir.resolve("a"), "A");
        vm.project.selectedChapter().script.set("One.\n\nTwo.\n\nThree.");
        player.loadChapterCommand.execute();
        assertEquals("Nothing rendered in Chapter 1 yet.", vm.status.message());
        assertEquals(0, player.spans().size());

        StudioFixture.withTakes(vm, 1);
        player.loadChapterCommand.execute();
        assertEquals("Chapter 1 (3 of 3 segments rendered)", player.titleProperty().get());
        assertEquals(3, player.spans().size());
        assertEquals(vm.project.selectedChapter(), player.chapterProperty().get());
        assertEquals(3 * 0.5 + 2 * 0.25, player.duration(), 1e-3, "three half-second takes, 250 ms apart");
        assertEquals(0, player.currentSegmentProperty().get());

        player.seek(player.startOf(2) + 0.01);
        assertEquals(2, player.currentSegmentProperty().get());
        player.seek(0.6); // in the gap after the first take
        assertEquals(-1, player.currentSegmentProperty().get());
        assertEquals(0.6, player.playFrom(), 1e-9);
        player.seek(1e9);
        assertEquals(player.duration(), player.positionProperty().get(), 1e-9, "seeking stops at the end");
        assertEquals(0, player.playFrom(), "at the end, play starts over");
    }

    @Test
    void playbackReportsFromTheAudioOutput() throws Exception {
        vm.project.newProject(dir.resolve("b"), "B");
        vm.project.selectedChapter().script.set("Only.");
        StudioFixture.withTakes(vm, 1);
        player.loadChapter(vm.project.selectedChapter());
        player.playbackStarted();
        assertTrue(player.playingProperty().get());
        player.playbackAt(0.25);
        assertEquals(0.25, player.positionProperty().get(), 1e-9);
        assertEquals(0, player.currentSegmentProperty().get());
        player.playbackStopped();
        assertFalse(player.playingProperty().get());
        player.playbackStarted();
        player.playbackFailed("no audio device");
        assertFalse(player.playingProperty().get());
        assertTrue(vm.status.isError() && vm.status.message().contains("no audio device") && vm.status.message().contains("Export"),
                vm.status.message());

        vm.project.open(vm.project.projectFile());
        assertNull(player.clip(), "opening a project empties the player");
        assertEquals("Nothing loaded", player.titleProperty().get());
    }

    @Test
    void thePlayheadFindsTheSentenceTimedAsTheCaptionsAre() throws Exception {
        vm.project.newProject(dir.resolve("c"), "C");
        vm.project.selectedChapter().script.set("It was late. The lamp\nwas lit.\n\nNobody came.");
        StudioFixture.withTakes(vm, 1); // half-second takes
        player.loadChapter(vm.project.selectedChapter());
        List<PlayerViewModel.Sentence> s = player.sentences();
        assertEquals(List.of("It was late.", "The lamp was lit.", "Nobody came."), s.stream().map(x -> x.cue().text()).toList());
        assertEquals(List.of(0, 0, 1), s.stream().map(PlayerViewModel.Sentence::segmentIndex).toList());
        assertEquals(List.of(0, 1, 0), s.stream().map(PlayerViewModel.Sentence::index).toList());
        // One source of timing: the cues ./narrator render writes for the same takes.
        Path assets = vm.project.assetsDir();
        var rows = vm.project.selectedChapter().segments();
        float[] first = new BasicNarrationService().readAudio(assets.resolve(rows.get(0).chosenTake().file())).samples();
        assertEquals(BookRender.sentenceCues(rows.get(0).segment().text(), first, 0, 0), s.subList(0, 2).stream().map(PlayerViewModel.Sentence::cue).toList());
        double second = player.startOf(1);
        float[] third = new BasicNarrationService().readAudio(assets.resolve(rows.get(1).chosenTake().file())).samples();
        assertEquals(BookRender.sentenceCues("Nobody came.", third, second, 1), s.subList(2, 3).stream().map(PlayerViewModel.Sentence::cue).toList());

        double boundary = s.get(0).cue().end();
        assertTrue(boundary > 0.05 && boundary < 0.45, "the boundary inside the first take: " + boundary);
        player.seek(boundary / 2);
        assertEquals(s.get(0), player.currentSentenceProperty().get());
        player.playbackAt((boundary + s.get(1).cue().end()) / 2);
        assertEquals(s.get(1), player.currentSentenceProperty().get());
        player.seek(0.6); // the gap between the takes
        assertNull(player.currentSentenceProperty().get());
        player.seek(second + 0.1);
        assertEquals(s.get(2), player.currentSentenceProperty().get());
    }
}
