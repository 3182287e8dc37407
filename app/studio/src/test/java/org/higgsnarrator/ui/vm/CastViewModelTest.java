package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.ui.TestAudio;
import org.higgsnarrator.ui.service.RenderRequest.VoiceRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cast & voices area: its commands and what it exposes read-only. */
class CastViewModelTest {
    @TempDir
    Path dir;
    StudioViewModel vm;
    CastViewModel cast;

    @BeforeEach
    void setUp() {
        vm = StudioFixture.studio(dir);
        cast = vm.cast;
        vm.project.newProject(dir.resolve("p"), "P");
        vm.project.save();
    }

    @Test
    void speakersAddSelectAssignRemove() {
        assertNull(cast.addSpeaker("  "), "a blank name adds nobody");
        SpeakerViewModel narrator = cast.speakers().getFirst();
        SpeakerViewModel ann = cast.addSpeaker(" Ann ");
        assertEquals("Ann", ann.name());
        assertEquals(List.of("Narrator", "Ann"), cast.speakerNames());
        assertEquals(ann, cast.speakerByName("ann"));
        assertTrue(vm.project.isDirty());

        assertTrue(cast.removeSpeakerCommand.disabledProperty().get(), "nothing selected");
        cast.selectSpeaker(ann);
        assertEquals(ann, cast.selectedSpeakerProperty().get());
        VoiceViewModel deep = cast.addDescribedVoice("Deep", VoiceProfile.MALE_EN);
        cast.assignVoice(ann, deep);
        assertEquals(deep, ann.voice());
        vm.project.selectedChapter().script.set("Ann: Hello there.");
        assertEquals(new VoiceRef.Described(VoiceProfile.MALE_EN), vm.project.selectedChapter().segments().getFirst().request().voice());

        cast.removeSpeakerCommand.execute();
        assertEquals(List.of(narrator), cast.speakers());
        assertNull(cast.selectedSpeakerProperty().get());
        assertTrue(vm.project.selectedChapter().segments().getFirst().problem().contains("no speaker named 'Ann'"));
        cast.selectSpeaker(narrator);
        cast.removeSpeakerCommand.execute();
        assertEquals(List.of(narrator), cast.speakers(), "the narrator stays");
        assertTrue(vm.status.isError());
    }

    @Test
    void syncSpeakersCommandAddsNamesOfTheScript() {
        vm.project.selectedChapter().script.set("Intro.\n\nZoe: Hi.\nMax: Hey.\nZoe: Again.");
        assertTrue(vm.project.selectedChapter().segments().get(1).problem() != null);
        cast.syncSpeakersCommand.execute();
        assertEquals(List.of("Narrator", "Zoe", "Max"), cast.speakerNames());
        assertNull(vm.project.selectedChapter().segments().get(1).problem(), "rows follow the cast");
    }

    @Test
    void voiceLibraryCommands() throws Exception {
        assertTrue(cast.removeVoiceCommand.disabledProperty().get());
        assertTrue(cast.previewVoiceCommand.disabledProperty().get());
        cast.describeVoiceCommand.execute();
        VoiceViewModel v1 = cast.selectedVoice();
        assertEquals("Voice 1", v1.name.get());
        assertEquals(VoiceProfile.MALE_EN, v1.description.get());
        assertFalse(cast.removeVoiceCommand.disabledProperty().get());

        SpeakerViewModel narrator = cast.speakers().getFirst();
        cast.assignVoice(narrator, v1);
        cast.removeVoiceCommand.execute();
        assertTrue(cast.voices().isEmpty());
        assertNull(narrator.voice(), "a removed voice leaves the speakers that used it");
        assertNull(cast.selectedVoice());

        cast.dropAudioFiles(List.of(TestAudio.writeWav(dir.resolve("kim.wav"), 16_000, 1, 0.1, 3.0)), null);
        VoiceViewModel kim = cast.selectedVoice();
        assertEquals("kim", kim.name.get());
        cast.selectVoice(null);
        assertNull(cast.selectedVoice());
        cast.selectVoice(kim);
        assertEquals(kim, cast.selectedVoice());
        assertEquals("Voice: kim", vm.player.titleProperty().get(), "selecting a cloned voice loads its clip");
        cast.previewVoiceCommand.execute();
        assertTrue(vm.status.isError() && vm.status.message().contains("engine"), "no engine in the basic service: " + vm.status.message());
    }

    @Test
    void listsAndSpeakerStateAreReadOnly() {
        SpeakerViewModel s = cast.speakers().getFirst();
        assertThrows(UnsupportedOperationException.class, () -> cast.speakers().add(s));
        assertThrows(UnsupportedOperationException.class, () -> cast.voices().add(null));
        assertFalse(s.voiceProperty() instanceof javafx.beans.value.WritableValue<?>);
        assertFalse(s.nameProperty() instanceof javafx.beans.value.WritableValue<?>);
        assertFalse(cast.selectedVoiceProperty() instanceof javafx.beans.value.WritableValue<?>);
    }
}
