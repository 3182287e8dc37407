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
        vm.newProject(f, "A Night");
        assertEquals(dir.resolve("book.narrator"), vm.projectFile.get());
        assertTrue(Files.isDirectory(dir.resolve("book.assets")));
        assertFalse(vm.dirty.get());
        ChapterViewModel c = vm.selectedChapter.get();
        c.script.set(SCRIPT);
        assertTrue(vm.dirty.get());
        assertEquals(3, c.segments.size());
        // Alice and Bob are not in the cast yet: their lines say so until the cast is synced.
        assertNotNull(c.segments.get(1).problem());
        List<SpeakerViewModel> added = vm.syncSpeakers();
        assertEquals(List.of("Alice", "Bob"), added.stream().map(s -> s.name.get()).toList());
        assertEquals(List.of("Narrator", "Alice", "Bob"), vm.speakers.stream().map(s -> s.name.get()).toList());
        assertNull(c.segments.get(1).problem());
        assertEquals("Narrator", c.segments.get(0).speaker().name.get());
        assertEquals("Only me. [laugh]", c.segments.get(2).request().text());
        assertTrue(vm.windowTitle.get().startsWith("• A Night"), vm.windowTitle.get());

        assertTrue(vm.autosave());
        assertFalse(vm.dirty.get());
        assertFalse(vm.autosave(), "nothing to save");
        Project saved = vm.toProject();

        StudioViewModel again = fresh();
        again.open(vm.projectFile.get());
        assertEquals(saved, again.toProject());
        assertFalse(again.dirty.get());
        assertEquals(List.of(vm.projectFile.get()), again.recentProjects);
    }

    @Test
    void dropAWavOnASpeakerClonesItsVoice() throws Exception {
        vm.newProject(dir.resolve("b.narrator"), "B");
        vm.selectedChapter.get().script.set(SCRIPT);
        vm.syncSpeakers();
        SpeakerViewModel alice = vm.speakerByName("Alice");
        Path wav = TestAudio.writeWav(dir.resolve("alice.wav"), 48_000, 1, 0.3, 5.0);
        vm.dropAudioFiles(List.of(wav), alice);
        VoiceViewModel v = alice.voice.get();
        assertNotNull(v, vm.status.get());
        assertTrue(v.isCloned());
        assertEquals("alice", v.name.get());
        assertTrue(Files.isRegularFile(vm.assetsDir().resolve(v.clip)));
        assertEquals(v, vm.selectedVoice.get());
        assertTrue(vm.status.get().contains("transcript"), vm.status.get());
        assertNotNull(vm.player.clip.get(), "clip loaded into the player");
        assertEquals(v.seconds, vm.player.duration(), 1e-3);
        // Transcript is required: Alice's segment cannot be rendered until it is typed.
        SegmentRow row = vm.selectedChapter.get().segments.get(1);
        assertTrue(row.problem().contains("transcript"), row.problem());
        v.transcript.set("This is Alice speaking.");
        row = vm.selectedChapter.get().segments.get(1);
        assertNull(row.problem());
        assertEquals(new VoiceRef.Cloned(vm.assetsDir().resolve(v.clip), v.cacheKey, "This is Alice speaking."), row.request().voice());
        // The voice survives a reopen.
        vm.save();
        StudioViewModel again = fresh();
        again.open(vm.projectFile.get());
        assertEquals("This is Alice speaking.", again.speakerByName("Alice").voice.get().transcript.get());
    }

    @Test
    void transcriptBesideTheClipIsUsed() throws Exception {
        vm.newProject(dir.resolve("c.narrator"), "C");
        Path wav = TestAudio.writeWav(dir.resolve("narr.wav"), 24_000, 1, 0.2, 4.0);
        Files.writeString(dir.resolve("narr.txt"), "  Once upon a time.\n");
        vm.dropAudioFiles(List.of(wav), null);
        assertEquals("Once upon a time.", vm.voices.getFirst().transcript.get());
        assertNull(vm.speakers.getFirst().voice.get(), "a drop on the library assigns no speaker");
    }

    @Test
    void dropsThatAreNotAudioAreExplained() throws Exception {
        vm.dropAudioFiles(List.of(dir.resolve("x.wav")), null);
        assertTrue(vm.statusIsError.get() && vm.status.get().contains("project first"), vm.status.get());
        vm.newProject(dir.resolve("d.narrator"), "D");
        Path doc = Files.writeString(dir.resolve("notes.docx"), "x");
        vm.dropAudioFiles(List.of(doc), null);
        assertTrue(vm.statusIsError.get() && vm.status.get().contains("WAV, MP3 or FLAC"), vm.status.get());
        Path fake = Files.writeString(dir.resolve("fake.wav"), "not audio");
        vm.dropAudioFiles(List.of(fake), null);
        assertTrue(vm.statusIsError.get() && vm.status.get().contains("fake.wav"), vm.status.get());
        assertTrue(vm.voices.isEmpty());
    }

    @Test
    void segmentHashFollowsContent() {
        vm.newProject(dir.resolve("e.narrator"), "E");
        ChapterViewModel c = vm.selectedChapter.get();
        c.script.set("First paragraph.\n\nSecond paragraph.");
        String h0 = c.segments.get(0).hash(), h1 = c.segments.get(1).hash();
        c.script.set("First paragraph.\n\nSecond paragraph, edited.");
        assertEquals(h0, c.segments.get(0).hash(), "unchanged segment keeps its hash");
        assertNotEquals(h1, c.segments.get(1).hash());
        c.scene.set("Recorded outdoors.");
        assertNotEquals(h0, c.segments.get(0).hash(), "scene is part of the hash");
        String h2 = c.segments.get(0).hash();
        vm.speakers.getFirst().voice.set(vm.addDescribedVoice("Deep", VoiceProfile.MALE_EN));
        assertNotEquals(h2, c.segments.get(0).hash(), "voice is part of the hash");
        String h3 = c.segments.get(0).hash();
        vm.settings.set(new Project.GenerationSettings(0.7, 50, 0.95, 7, 2, 2048, 42)); // not the default (0.3)
        assertNotEquals(h3, c.segments.get(0).hash(), "settings are part of the hash");
    }

    @Test
    void renderingWithoutEngineSaysWhy() {
        vm.newProject(dir.resolve("f.narrator"), "F");
        vm.selectedChapter.get().script.set("Hello.");
        assertEquals(0, vm.renderChapter(vm.selectedChapter.get()));
        assertTrue(vm.statusIsError.get() && vm.status.get().contains("engine"), vm.status.get());
        assertTrue(vm.queue.jobs.isEmpty());
        vm.previewVoiceRender(vm.addDescribedVoice("Warm", VoiceProfile.MALE_EN));
        assertTrue(vm.statusIsError.get() && vm.status.get().contains("engine"), vm.status.get());
        assertNull(vm.player.clip.get());
        vm.export(List.of(vm.selectedChapter.get()), ExportFormat.WAV, dir.resolve("out.wav"));
        assertTrue(vm.status.get().contains("1 not rendered"), vm.status.get());
    }

    @Test
    void recentProjectsAreRememberedMostRecentFirst() {
        vm.newProject(dir.resolve("one.narrator"), "1");
        vm.newProject(dir.resolve("two.narrator"), "2");
        vm.open(dir.resolve("one.narrator"));
        assertEquals(List.of(dir.resolve("one.narrator"), dir.resolve("two.narrator")), fresh().recentProjects);
    }

    @Test
    void saveAsCarriesTheAssets() throws Exception {
        vm.newProject(dir.resolve("g.narrator"), "G");
        vm.dropAudioFiles(List.of(TestAudio.writeWav(dir.resolve("v.wav"), 24_000, 1, 0.1, 3.5)), null);
        vm.saveAs(dir.resolve("sub/h"));
        assertEquals(dir.resolve("sub/h.narrator"), vm.projectFile.get());
        assertTrue(Files.isRegularFile(dir.resolve("sub/h.assets").resolve(vm.voices.getFirst().clip)));
        assertEquals(vm.toProject(), ProjectStore.load(dir.resolve("sub/h.narrator")));
    }

    @Test
    void chaptersAndSpeakersKeepAtLeastOne() {
        vm.newProject(dir.resolve("i.narrator"), "I");
        ChapterViewModel c2 = vm.addChapter();
        assertEquals("Chapter 2", c2.title.get());
        assertEquals(c2, vm.selectedChapter.get());
        vm.removeChapter(c2);
        vm.removeChapter(vm.chapters.getFirst());
        assertEquals(1, vm.chapters.size());
        assertTrue(vm.statusIsError.get());
        vm.removeSpeaker(vm.speakers.getFirst());
        assertEquals(1, vm.speakers.size());
    }
}
