package org.higgsnarrator.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.engine.RenderCheckpoint;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.BasicNarrationService;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderTarget;
import org.higgsnarrator.ui.vm.RenderJob;
import org.higgsnarrator.ui.vm.RenderQueueViewModel;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "the studio's render queue resumes the same way after a crash": a studio process rendering a long segment
 * is killed (SIGKILL) after its first chunk; the reopened project lists the render as interrupted, Resume finishes it
 * without rendering the finished chunks again, and they are sample for sample what an uninterrupted render gives.
 */
class QueueCrashResumeTest {
    @TempDir
    Path dir;
    StudioViewModel vm;

    @AfterEach
    void tearDown() {
        if (vm != null) vm.close();
    }

    /** One narrator turn of about 760 words: five chunks of at most 200 words, cut at sentence ends. */
    static String longSegment() {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= 84; i++) s.append("Sentence number ").append(i).append(" carries the story a little further on. ");
        return s.toString().strip();
    }

    @Test
    void aRenderKilledMidwayIsInterruptedOnReopenAndResumesAtItsFinishedChunks() throws Exception {
        Path settings = dir.resolve("settings.json"), projectFile = dir.resolve("book.narrator");
        try (StudioViewModel setup = new StudioViewModel(new BasicNarrationService(), new SynchronousExecutor(), settings, System::nanoTime)) {
            setup.project.newProject(projectFile, "Book");
            setup.project.setGenerationSettings(new Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 40, 7));
            setup.project.selectedChapter().script.set(longSegment());
            setup.cast.syncSpeakers();
            assertTrue(setup.project.save(), setup.status.message());
        }
        Path assets = ProjectStore.assetsDir(projectFile);

        // 1. a studio process renders the chapter and is killed in its second chunk
        // as ./narrator starts Java: ONNX Runtime's native code needs more than the default main-thread stack
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss4m",
                "--enable-native-access=ALL-UNNAMED"));
        for (String p : List.of("narrator.repo.root", "narrator.home")) if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), QueueCrashProbe.class.getName(), projectFile.toString(), settings.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("STALLED")) break;
            }
            if (!out.toString().contains("STALLED")) p.waitFor(20, TimeUnit.SECONDS);
            assertTrue(out.toString().contains("STALLED"), "the probe did not reach its second chunk (exit " + (p.isAlive() ? "-" : p.exitValue()) + "):\n" + out);
            p.destroyForcibly(); // SIGKILL: nothing orderly runs
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the probe did not die");
        } finally {
            p.destroyForcibly();
        }
        assertTrue(Files.isRegularFile(assets.resolve(RenderQueueViewModel.QUEUE_FILE)), "the queue was saved when the render was queued");
        Path parts;
        try (var s = Files.list(assets.resolve("renders"))) {
            parts = s.filter(f -> f.getFileName().toString().endsWith(".parts")).findFirst().orElseThrow();
        }
        RenderCheckpoint.Status killed = RenderCheckpoint.status(parts);
        int total = RenderCheckpoint.chunkCount(parts);
        assertEquals(5, total, "the segment is five chunks (cut at sentence ends, at most 200 words each)");
        assertTrue(killed.chunks() >= 1 && killed.chunks() < total, killed + " of " + total);
        float[] finished = floats(parts.resolve("audio.f32"), killed.samples());

        // 2. the studio starts again: the render is listed as interrupted, with how far it got
        vm = new StudioViewModel(NarrationServices.create(), new SynchronousExecutor(), settings, System::nanoTime);
        vm.session.loadModel(vm.session.currentModelChoice());
        vm.project.open(projectFile);
        assertEquals(1, vm.queue.jobs().size(), vm.status.message());
        RenderJob job = vm.queue.jobs().getFirst();
        assertEquals(RenderJob.State.INTERRUPTED, job.state());
        assertTrue(job.message().contains(killed.chunks() + " of " + total + " chunks rendered"), job.message());
        assertTrue(vm.status.message().contains("interrupted"), vm.status.message());
        assertTrue(vm.project.selectedChapter().segments().getFirst().chosenTake() == null, "no take yet");

        // 3. Resume: only the unfinished chunks are rendered
        vm.queue.resume(job);
        assertEquals(RenderJob.State.DONE, job.state(), job.message());
        assertTrue(job.message().contains("resumed after " + killed.chunks() + " finished chunk(s)"), job.message());
        assertFalse(Files.exists(parts), "the finished chunks are deleted once the take is stored");
        assertFalse(Files.exists(assets.resolve(RenderQueueViewModel.QUEUE_FILE)), "nothing left to resume");
        Project.Take take = vm.project.selectedChapter().segments().getFirst().chosenTake();
        float[] takeAudio = AudioReader.read(assets.resolve(take.file())).samples();
        assertTrue(takeAudio.length > finished.length, "the take goes on after the finished chunks");
        for (int i = 0; i < finished.length; i++) {
            assertEquals(finished[i], takeAudio[i], 1.01 / 32768, "sample " + i + " of the finished chunks (16-bit take)");
        }

        // 4. the finished chunks are what an uninterrupted render of the same take gives, sample for sample
        try (NarrationService fresh = NarrationServices.create()) {
            fresh.loadModel(vm.session.currentModelChoice());
            float[] whole = fresh.render(job.request, RenderTarget.local(null), RenderListener.IGNORE).await().samples();
            assertArrayEquals(Arrays.copyOf(whole, finished.length), finished);
        }
    }

    static float[] floats(Path f32, long samples) throws Exception {
        byte[] b = Files.readAllBytes(f32);
        assertTrue(b.length >= samples * 4, f32 + " holds " + b.length / 4 + " samples, the records say " + samples);
        float[] out = new float[Math.toIntExact(samples)];
        ByteBuffer.wrap(b, 0, out.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
