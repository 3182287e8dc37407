package org.higgsnarrator.ui.service;

import org.higgsnarrator.audio.AudioClip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.audio.Ffmpeg;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.TestAudio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine adapter on the bundled random-weight package: load, clone with a cached encode, render, cancel, export. */
class EngineNarrationServiceTest {
    /** Short takes: the random-weight model rarely stops by itself, the frame limit ends each take. */
    static final GenerationSettings QUICK = new GenerationSettings(1.0, 50, 0.95, 7, 2, 30, 7);
    static EngineNarrationService service;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        assertTrue(Files.isRegularFile(AppSettings.bundledModel().resolve("manifest.json")), "bundled model missing at " + AppSettings.bundledModel());
        service = new EngineNarrationService();
        service.loadModel(new ModelChoice(AppSettings.bundledModel(), org.higgsnarrator.runtime.Device.CPU, 1));
    }

    @AfterAll
    static void close() {
        if (service != null) service.close();
    }

    @Test
    void registeredAsTheDefaultService() {
        try (NarrationService s = NarrationServices.create()) {
            assertInstanceOf(EngineNarrationService.class, s);
        }
    }

    @Test
    void bundledPackageRendersAndSaysItIsATestModel() {
        BackendInfo b = service.backend();
        assertTrue(b.canRender(), b.toString());
        assertTrue(b.randomWeights());
        assertEquals(org.higgsnarrator.runtime.Device.CPU, b.device());
        assertFalse(b.deviceReason().isBlank());
        assertTrue(b.summary().contains("does not speak"), b.summary());
    }

    @Test
    void clonedVoiceIsEncodedOnceAndRenders() throws Exception {
        Path wav = TestAudio.writeWav(dir.resolve("alice.wav"), 44_100, 2, 0.6, 4.0);
        Path cache = Files.createDirectories(dir.resolve("voices"));
        PreparedVoice v = service.prepareVoice(wav, cache);
        assertTrue(v.encoded());
        assertTrue(v.warnings().contains("resampled 44100 Hz → 24000 Hz"), v.warnings().toString());
        assertTrue(v.warnings().contains("mixed 2 channels to mono"), v.warnings().toString());
        // the whole file is kept, silence included: Boson's release does not trim reference clips (docs/fidelity.md, item 10)
        assertEquals(AudioReader.read(wav).seconds(), v.seconds(), 0.01);
        Path codes;
        try (var s = Files.list(cache)) {
            List<Path> files = s.sorted().toList();
            assertEquals(2, files.size(), files.toString());
            codes = files.stream().filter(p -> p.getFileName().toString().startsWith(v.cacheKey() + ".codes-")).findFirst().orElseThrow();
        }
        FileTime written = Files.getLastModifiedTime(codes);
        String json = Files.readString(codes);
        Files.setLastModifiedTime(codes, FileTime.fromMillis(written.toMillis() - 60_000));
        FileTime marked = Files.getLastModifiedTime(codes);

        PreparedVoice again = service.prepareVoice(wav, cache);
        assertEquals(v.cacheKey(), again.cacheKey(), "same clip, same key");
        assertEquals(marked, Files.getLastModifiedTime(codes), "codes are not encoded or written a second time");
        assertEquals(json, Files.readString(codes));

        List<float[]> chunks = new ArrayList<>();
        AtomicInteger lastFrames = new AtomicInteger(), max = new AtomicInteger();
        RenderRequest r = new RenderRequest("Hello there. [laugh]", new RenderRequest.VoiceRef.Cloned(v.clip(), v.cacheKey(), "A short test clip."),
                "Audio is recorded from a quiet room.", QUICK, 11);
        AudioClip take = service.render(r, new RenderListener() {
            @Override
            public void onAudio(float[] pcm) {
                chunks.add(pcm);
            }

            @Override
            public void onProgress(org.higgsnarrator.engine.Progress p) {
                lastFrames.set((int) p.frames());
                if (!Double.isNaN(p.etaSeconds())) max.incrementAndGet();
            }
        }).await();
        assertEquals(NarrationService.RATE, take.sampleRate());
        assertTrue(take.samples().length > 0);
        assertEquals(take.samples().length, chunks.stream().mapToInt(c -> c.length).sum(), "the streamed chunks are the take");
        assertTrue(max.get() > 0, "the engine's ETA reaches the studio");
        assertTrue(lastFrames.get() > 0 && lastFrames.get() <= QUICK.maxFrames(), "frames " + lastFrames.get());
        assertEquals(marked, Files.getLastModifiedTime(codes), "rendering reuses the cached codes");

        // Same request and seed: the same take; another seed: another take.
        AudioClip same = service.render(r, noListener()).await();
        assertArrayEquals(take.samples(), same.samples());
        AudioClip other = service.render(new RenderRequest(r.text(), r.voice(), r.scene(), r.settings(), 12), noListener()).await();
        assertFalse(java.util.Arrays.equals(take.samples(), other.samples()), "a different seed gives a different take");
    }

    @Test
    void describedAndModelChoiceVoicesRenderAndCancelStops() throws Exception {
        AudioClip d = service.render(new RenderRequest("A described voice.", new RenderRequest.VoiceRef.Described(
                "Male, American accent, modern speaking rate, moderate-pitch, friendly tone, and very clear audio."), "", QUICK, 3), noListener()).await();
        assertTrue(d.samples().length > 0);

        AtomicInteger frames = new AtomicInteger();
        RenderTask[] task = new RenderTask[1];
        task[0] = service.render(new RenderRequest("The model picks a voice.", new RenderRequest.VoiceRef.ModelChoice(), "",
                new GenerationSettings(1.0, 50, 0.95, 7, 2, 2000, 5), 5), new RenderListener() {
            @Override
            public void onAudio(float[] pcm) {}

            @Override
            public void onProgress(org.higgsnarrator.engine.Progress p) {
                if (frames.incrementAndGet() == 3) task[0].cancel();
            }
        });
        assertThrows(CancellationException.class, task[0]::await);
        assertTrue(frames.get() < 10, "stopped soon after cancel: " + frames.get() + " frames");
    }

    @Test
    void exportsEveryOfferedFormatWithALoudnessCheck() throws Exception {
        AudioClip take = service.render(new RenderRequest("Export me.", new RenderRequest.VoiceRef.ModelChoice(), "", QUICK, 9), noListener()).await();
        List<ExportFormat> formats = service.exportFormats();
        assertTrue(formats.containsAll(List.of(ExportFormat.WAV, ExportFormat.FLAC, ExportFormat.MP3)), formats.toString());
        assertEquals(Ffmpeg.find().isPresent(), formats.contains(ExportFormat.M4B));
        Path takeFile = dir.resolve("take.wav");
        new org.higgsnarrator.audio.AudioExporter().export(take, takeFile, org.higgsnarrator.audio.AudioExporter.Format.WAV16);
        for (ExportFormat f : formats) {
            Path out = dir.resolve("book" + f.extension);
            ExportReport rep = service.exportAudio(new ExportRequest(List.of(new ExportRequest.ChapterAudio("One", List.of(takeFile)),
                    new ExportRequest.ChapterAudio("Two", List.of(takeFile))), "Book", f, out));
            assertEquals(out, rep.file());
            assertEquals(2 * take.seconds(), rep.seconds(), 1e-6);
            assertTrue(rep.notes().stream().anyMatch(n -> n.startsWith("ACX")) && rep.notes().stream().anyMatch(n -> n.contains("PASS") || n.contains("FAIL")),
                    rep.notes().toString());
            var read = AudioReader.read(out);
            assertNotNull(read);
            assertEquals(2 * take.seconds(), read.seconds(), f == ExportFormat.WAV || f == ExportFormat.FLAC ? 1e-3 : 0.2, f.toString());
        }
    }

    @Test
    void packagesTheEngineCannotOpenAreDescribedWithTheReason() throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("manifest-only"));
        Files.writeString(pkg.resolve("manifest.json"), "{\"formatVersion\": 1, \"name\": \"half\", \"randomWeights\": true, \"precision\": \"fp32\"}");
        try (EngineNarrationService s = new EngineNarrationService()) {
            BackendInfo b = s.loadModel(new ModelChoice(pkg, org.higgsnarrator.runtime.Device.CPU, 1));
            assertFalse(b.canRender());
            assertTrue(b.cannotRenderReason().contains(pkg.toString()), b.cannotRenderReason());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.render(
                    new RenderRequest("x", new RenderRequest.VoiceRef.ModelChoice(), "", QUICK, 1), noListener()));
            assertEquals(b.cannotRenderReason(), e.getMessage());
            IOException io = assertThrows(IOException.class, () -> s.loadModel(new ModelChoice(dir.resolve("nothing"), org.higgsnarrator.runtime.Device.CPU, 1)));
            assertTrue(io.getMessage().contains("manifest.json"), io.getMessage());
        }
    }

    static RenderListener noListener() {
        return new RenderListener() {
            @Override
            public void onAudio(float[] pcm) {}

            @Override
            public void onProgress(org.higgsnarrator.engine.Progress p) {}
        };
    }
}
