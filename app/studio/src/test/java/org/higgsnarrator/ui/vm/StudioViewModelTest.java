package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.TestAudio;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.BasicNarrationService;
import org.higgsnarrator.ui.service.ExportFormat;
import org.higgsnarrator.ui.service.RenderRequest.VoiceRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The studio's view model on the real basic service, with a synchronous executor (deterministic). */
class StudioViewModelTest {
    @TempDir
    Path dir;
    StudioViewModel vm;

    static final String SCRIPT = """
            The door creaked open.

            Alice: Is anyone home?
            Bob: Only me. [laugh]
            """;

    @BeforeEach
    void setUp() {
        vm = new StudioViewModel(new BasicNarrationService(), new SynchronousExecutor(), dir.resolve("config/settings.json"), System::nanoTime);
    }

    StudioViewModel fresh() {
        return new StudioViewModel(new BasicNarrationService(), new SynchronousExecutor(), dir.resolve("config/settings.json"), System::nanoTime);
    }

    @Test
    void createTypeSyncSaveReopen() {
        Path f = dir.resolve("book");
        vm.project.newProject(f, "A Night");
        assertEquals(dir.resolve("book.narrator"), vm.project.projectFile());
        assertTrue(Files.isDirectory(dir.resolve("book.assets")));
        assertFalse(vm.project.isDirty());
        ChapterViewModel c = vm.project.selectedChapter();
        c.script.set(SCRIPT);
        assertTrue(vm.project.isDirty());
        assertEquals(3, c.segments().size());
        // Alice and Bob are not in the cast yet: their lines say so until the cast is synced.
        assertNotNull(c.segments().get(1).problem());
        List<SpeakerViewModel> added = vm.cast.syncSpeakers();
        assertEquals(List.of("Alice", "Bob"), added.stream().map(s -> s.name()).toList());
        assertEquals(List.of("Narrator", "Alice", "Bob"), vm.cast.speakers().stream().map(s -> s.name()).toList());
        assertNull(c.segments().get(1).problem());
        assertEquals("Narrator", c.segments().get(0).speaker().name());
        assertEquals("Only me. [laugh]", c.segments().get(2).request().text());
        assertTrue(vm.project.windowTitleProperty().get().startsWith("• A Night"), vm.project.windowTitleProperty().get());

        assertTrue(vm.project.autosave());
        assertFalse(vm.project.isDirty());
        assertFalse(vm.project.autosave(), "nothing to save");
        Project saved = vm.project.toProject();

        StudioViewModel again = fresh();
        again.project.open(vm.project.projectFile());
        assertEquals(saved, again.project.toProject());
        assertFalse(again.project.isDirty());
        assertEquals(List.of(vm.project.projectFile()), again.session.recentProjects());
    }

    @Test
    void dropAWavOnASpeakerClonesItsVoice() throws Exception {
        vm.project.newProject(dir.resolve("b.narrator"), "B");
        vm.project.selectedChapter().script.set(SCRIPT);
        vm.cast.syncSpeakers();
        SpeakerViewModel alice = vm.cast.speakerByName("Alice");
        Path wav = TestAudio.writeWav(dir.resolve("alice.wav"), 48_000, 1, 0.3, 5.0);
        vm.cast.dropAudioFiles(List.of(wav), alice);
        VoiceViewModel v = alice.voice();
        assertNotNull(v, vm.status.message());
        assertTrue(v.isCloned());
        assertEquals("alice", v.name.get());
        assertTrue(Files.isRegularFile(vm.project.assetsDir().resolve(v.clip)));
        assertEquals(v, vm.cast.selectedVoice());
        assertTrue(vm.status.message().contains("transcript"), vm.status.message());
        assertNotNull(vm.player.clip(), "clip loaded into the player");
        assertEquals(v.seconds, vm.player.duration(), 1e-3);
        // Transcript is required: Alice's segment cannot be rendered until it is typed.
        SegmentRow row = vm.project.selectedChapter().segments().get(1);
        assertTrue(row.problem().contains("transcript"), row.problem());
        v.transcript.set("This is Alice speaking.");
        row = vm.project.selectedChapter().segments().get(1);
        assertNull(row.problem());
        assertEquals(new VoiceRef.Cloned(vm.project.assetsDir().resolve(v.clip), v.cacheKey, "This is Alice speaking."), row.request().voice());
        // The voice survives a reopen.
        vm.project.save();
        StudioViewModel again = fresh();
        again.project.open(vm.project.projectFile());
        assertEquals("This is Alice speaking.", again.cast.speakerByName("Alice").voice().transcript.get());
    }

    @Test
    void transcriptBesideTheClipIsUsed() throws Exception {
        vm.project.newProject(dir.resolve("c.narrator"), "C");
        Path wav = TestAudio.writeWav(dir.resolve("narr.wav"), 24_000, 1, 0.2, 4.0);
        Files.writeString(dir.resolve("narr.txt"), "  Once upon a time.\n");
        vm.cast.dropAudioFiles(List.of(wav), null);
        assertEquals("Once upon a time.", vm.cast.voices().getFirst().transcript.get());
        assertNull(vm.cast.speakers().getFirst().voice(), "a drop on the library assigns no speaker");
    }

    @Test
    void dropsThatAreNotAudioAreExplained() throws Exception {
        vm.cast.dropAudioFiles(List.of(dir.resolve("x.wav")), null);
        assertTrue(vm.status.isError() && vm.status.message().contains("project first"), vm.status.message());
        vm.project.newProject(dir.resolve("d.narrator"), "D");
        Path doc = Files.writeString(dir.resolve("notes.docx"), "x");
        vm.cast.dropAudioFiles(List.of(doc), null);
        assertTrue(vm.status.isError() && vm.status.message().contains("WAV, MP3 or FLAC"), vm.status.message());
        Path fake = Files.writeString(dir.resolve("fake.wav"), "not audio");
        vm.cast.dropAudioFiles(List.of(fake), null);
        assertTrue(vm.status.isError() && vm.status.message().contains("fake.wav"), vm.status.message());
        assertTrue(vm.cast.voices().isEmpty());
    }

    @Test
    void segmentHashFollowsContent() {
        vm.project.newProject(dir.resolve("e.narrator"), "E");
        ChapterViewModel c = vm.project.selectedChapter();
        c.script.set("First paragraph.\n\nSecond paragraph.");
        String h0 = c.segments().get(0).hash(), h1 = c.segments().get(1).hash();
        c.script.set("First paragraph.\n\nSecond paragraph, edited.");
        assertEquals(h0, c.segments().get(0).hash(), "unchanged segment keeps its hash");
        assertNotEquals(h1, c.segments().get(1).hash());
        c.scene.set("Recorded outdoors.");
        assertNotEquals(h0, c.segments().get(0).hash(), "scene is part of the hash");
        String h2 = c.segments().get(0).hash();
        vm.cast.assignVoice(vm.cast.speakers().getFirst(), vm.cast.addDescribedVoice("Deep", VoiceProfile.MALE_EN));
        assertNotEquals(h2, c.segments().get(0).hash(), "voice is part of the hash");
        String h3 = c.segments().get(0).hash();
        vm.project.setGenerationSettings(new Project.GenerationSettings(0.3, 50, 0.95, 7, 2, 2048, 42));
        assertNotEquals(h3, c.segments().get(0).hash(), "settings are part of the hash");
    }

    @Test
    void renderingWithoutEngineSaysWhy() {
        vm.project.newProject(dir.resolve("f.narrator"), "F");
        vm.project.selectedChapter().script.set("Hello.");
        assertEquals(0, vm.segments.renderChapter(vm.project.selectedChapter()));
        assertTrue(vm.status.isError() && vm.status.message().contains("engine"), vm.status.message());
        assertTrue(vm.queue.jobs().isEmpty());
        vm.cast.previewVoiceRender(vm.cast.addDescribedVoice("Warm", VoiceProfile.MALE_EN));
        assertTrue(vm.status.isError() && vm.status.message().contains("engine"), vm.status.message());
        assertNull(vm.player.clip());
        vm.segments.export(List.of(vm.project.selectedChapter()), ExportFormat.WAV, dir.resolve("out.wav"));
        assertTrue(vm.status.message().contains("1 not rendered"), vm.status.message());
    }

    @Test
    void recentProjectsAreRememberedMostRecentFirst() {
        vm.project.newProject(dir.resolve("one.narrator"), "1");
        vm.project.newProject(dir.resolve("two.narrator"), "2");
        vm.project.open(dir.resolve("one.narrator"));
        assertEquals(List.of(dir.resolve("one.narrator"), dir.resolve("two.narrator")), fresh().session.recentProjects());
    }

    @Test
    void saveAsCarriesTheAssets() throws Exception {
        vm.project.newProject(dir.resolve("g.narrator"), "G");
        vm.cast.dropAudioFiles(List.of(TestAudio.writeWav(dir.resolve("v.wav"), 24_000, 1, 0.1, 3.5)), null);
        vm.project.saveAs(dir.resolve("sub/h"));
        assertEquals(dir.resolve("sub/h.narrator"), vm.project.projectFile());
        assertTrue(Files.isRegularFile(dir.resolve("sub/h.assets").resolve(vm.cast.voices().getFirst().clip)));
        assertEquals(vm.project.toProject(), ProjectStore.load(dir.resolve("sub/h.narrator")));
    }

    @Test
    void chaptersAndSpeakersKeepAtLeastOne() {
        vm.project.newProject(dir.resolve("i.narrator"), "I");
        ChapterViewModel c2 = vm.project.addChapter();
        assertEquals("Chapter 2", c2.title.get());
        assertEquals(c2, vm.project.selectedChapter());
        vm.project.removeChapter(c2);
        vm.project.removeChapter(vm.project.chapters().getFirst());
        assertEquals(1, vm.project.chapters().size());
        assertTrue(vm.status.isError());
        vm.cast.removeSpeaker(vm.cast.speakers().getFirst());
        assertEquals(1, vm.cast.speakers().size());
    }
}
