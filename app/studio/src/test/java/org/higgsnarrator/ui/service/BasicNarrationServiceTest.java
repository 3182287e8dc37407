package org.higgsnarrator.ui.service;

import org.higgsnarrator.audio.AudioClip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.ui.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicNarrationServiceTest {
    @TempDir
    Path dir;
    final BasicNarrationService service = new BasicNarrationService();

    @Test
    void preparesAStereo44kClip() throws Exception {
        Path wav = TestAudio.writeWav(dir.resolve("alice.wav"), 44_100, 2, 0.6, 4.0);
        PreparedVoice v = service.prepareVoice(wav, dir.resolve("cache"));
        assertTrue(v.warnings().contains("resampled 44100 Hz → 24000 Hz"), v.warnings().toString());
        assertTrue(v.warnings().contains("mixed 2 channels to mono"), v.warnings().toString());
        // the whole clip is kept, silence included: Boson's release does not trim reference clips (docs/fidelity.md, item 10)
        assertTrue(v.warnings().stream().noneMatch(w -> w.startsWith("trimmed")), v.warnings().toString());
        assertEquals(org.higgsnarrator.audio.AudioReader.read(wav).seconds(), v.seconds(), 0.01);
        AudioClip clip = service.readAudio(v.clip());
        assertEquals(NarrationService.RATE, clip.sampleRate());
        assertEquals(v.seconds(), clip.seconds(), 1e-3);
        assertFalse(v.encoded());
        // Same clip, same key, same file: prepared once.
        PreparedVoice again = service.prepareVoice(wav, dir.resolve("cache"));
        assertEquals(v.cacheKey(), again.cacheKey());
        try (var s = Files.list(dir.resolve("cache"))) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void warnsAboutShortClipsAndRefusesSilence() throws Exception {
        Path shortWav = TestAudio.writeWav(dir.resolve("short.wav"), 24_000, 1, 0.0, 1.5);
        assertTrue(service.prepareVoice(shortWav, dir).warnings().stream().anyMatch(w -> w.contains("only")));
        Path silent = TestAudio.writeWav(dir.resolve("silent.wav"), 24_000, 1, 1.0, 0.0);
        IOException e = assertThrows(IOException.class, () -> service.prepareVoice(silent, dir));
        assertTrue(e.getMessage().contains("silent") && e.getMessage().contains("silent.wav"), e.getMessage());
    }

    @Test
    void notAudioIsAClearError() throws Exception {
        Path txt = Files.writeString(dir.resolve("notes.wav"), "this is text");
        IOException e = assertThrows(IOException.class, () -> service.readAudio(txt));
        assertTrue(e.getMessage().contains("notes.wav") && e.getMessage().contains("WAV, FLAC or MP3"), e.getMessage());
    }

    @Test
    void withoutEngineRenderingIsRefusedWithTheReason() {
        assertFalse(service.backend().canRender());
        var req = new RenderRequest("Hello.", new RenderRequest.VoiceRef.ModelChoice(), "", GenerationSettings.defaults(), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> service.render(req, null));
        assertTrue(e.getMessage().contains("engine"), e.getMessage());
    }

    @Test
    void modelPackageWithoutManifestIsExplained() {
        IOException e = assertThrows(IOException.class, () -> service.loadModel(new ModelChoice(dir, org.higgsnarrator.runtime.Device.AUTO, 0)));
        assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("narrator export"), e.getMessage());
    }

    @Test
    void exportsWavWithLevels() throws Exception {
        Path wav = TestAudio.writeWav(dir.resolve("a.wav"), 24_000, 1, 0.1, 1.0);
        AudioClip a = service.readAudio(wav);
        Path out = dir.resolve("out/book.wav");
        ExportReport r = service.exportAudio(new ExportRequest(List.of(new ExportRequest.ChapterAudio("One", List.of(wav, wav)),
                new ExportRequest.ChapterAudio("Two", List.of(wav))), "Book", ExportFormat.WAV, out));
        int gap = NarrationService.TAKE_GAP;   // between the takes of a chapter, not between chapters
        assertEquals(3 * a.seconds() + gap / 24_000.0, r.seconds(), 1e-6);
        float[] back = service.readAudio(out).samples();
        assertEquals(3 * a.samples().length + gap, back.length);
        for (int i = 0; i < gap; i++) assertEquals(0f, back[a.samples().length + i], "the gap between takes is silent");
        assertTrue(r.notes().getFirst().contains("dBFS"), r.notes().toString());
        assertThrows(IOException.class, () -> service.exportAudio(new ExportRequest(List.of(), "B", ExportFormat.M4B, dir.resolve("x.m4b"))));
    }
}
