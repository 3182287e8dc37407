package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.project.Project.RenderedSegment;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.ExportFormat;
import org.higgsnarrator.ui.service.NarrationServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendering through the real engine adapter on the bundled model: queue, takes on disk, hash skipping, new takes,
 * choosing a take, chapter playback, export. Skipped (with the reason) until the lead wires the adapter.
 */
class EngineRenderTest {
    @TempDir
    Path dir;
    StudioViewModel vm;

    @BeforeEach
    void setUp() {
        assertTrue(NarrationServices.engineAvailable(),
                "no NarrationService engine adapter on the classpath (docs/studio.md, Adapter: META-INF/services registration)");
        assertTrue(Files.isRegularFile(AppSettings.bundledModel().resolve("manifest.json")),
                "bundled model package missing at " + AppSettings.bundledModel() + " — re-export it (docs/model-package.md)");
        vm = new StudioViewModel(NarrationServices.create(), new SynchronousExecutor(), dir.resolve("settings.json"), System::nanoTime);
        vm.session.loadModel(vm.session.currentModelChoice());
        assertTrue(vm.session.backend().canRender(), vm.session.backend().toString());
        assertTrue(vm.session.backend().randomWeights(), "the bundled model is the random-weight test package");
        vm.project.newProject(dir.resolve("r.narrator"), "R");
        vm.project.setGenerationSettings(new org.higgsnarrator.project.Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 50, 7));
        vm.project.selectedChapter().script.set("First paragraph.\n\nAlice: Second line.");
        vm.cast.syncSpeakers();
    }

    /** Settings → Segments at once: 1 renders one at a time, 0 goes back to the model's proposal; kept in the settings. */
    @Test
    void segmentsAtOnceIsASettingOfTheModelChoice() {
        assertEquals("Renders on this computer, 4 segments at once", vm.book.rendererProperty().get());
        String pkg = vm.session.currentModelChoice().packageDir().toString();
        assertTrue(vm.session.applyModelChoice(pkg, vm.session.currentModelChoice().device(), 0, 1));
        assertEquals("Renders on this computer", vm.book.rendererProperty().get(), "one at a time");
        assertEquals(1, vm.session.appSettings().segmentsAtOnce());
        assertEquals(1, org.higgsnarrator.ui.AppSettings.load(dir.resolve("settings.json")).segmentsAtOnce(), "saved");
        assertTrue(vm.session.applyModelChoice(pkg, vm.session.currentModelChoice().device(), 0, 0));
        assertEquals("Renders on this computer, 4 segments at once", vm.book.rendererProperty().get(), "the model's proposal again");
        assertTrue(!vm.session.applyModelChoice(pkg, vm.session.currentModelChoice().device(), 0, 99) && vm.status.message().contains("segments at once"),
                vm.status.message());
    }

    @Test
    void renderSkipUnchangedTakeChoosePlayExport() throws Exception {
        ChapterViewModel c = vm.project.selectedChapter();
        assertEquals(2, vm.segments.renderChapter(c));
        assertTrue(vm.queue.jobs().stream().allMatch(j -> j.state() == RenderJob.State.DONE),
                vm.queue.jobs().stream().map(j -> j.message()).toList().toString());
        for (SegmentRow r : c.segments()) {
            assertTrue(vm.segments.isUpToDate(r));
            assertTrue(r.chosenTake().seconds() > 0);
            assertTrue(Files.size(vm.project.assetsDir().resolve(r.chosenTake().file())) > 44);
        }
        assertEquals(0, vm.segments.renderChapter(c), "unchanged segments are not rendered again");
        c.script.set("First paragraph, edited.\n\nAlice: Second line.");
        assertEquals(1, vm.segments.renderChapter(c), "only the edited segment");

        vm.segments.renderSegment(c, 1, true);
        RenderedSegment rs = c.segments().get(1).rendered();
        assertEquals(2, rs.takes().size());
        assertEquals(rs.takes().get(1).id(), rs.chosenTakeId(), "a new take becomes the chosen one");
        assertNotEquals(rs.takes().get(0).seed(), rs.takes().get(1).seed());
        vm.segments.chooseTake(c, rs.hash(), rs.takes().get(0).id());
        assertEquals(rs.takes().get(0).id(), c.segments().get(1).rendered().chosenTakeId());

        vm.player.loadChapter(c);
        assertEquals(2, vm.player.spans().size());
        vm.player.seek(vm.player.startOf(1) + 0.01);
        assertEquals(1, vm.player.currentSegmentProperty().get());

        vm.cast.previewVoiceRender(vm.cast.addDescribedVoice("Warm", VoiceProfile.MALE_EN));
        assertTrue(vm.player.titleProperty().get().startsWith("Preview"), vm.status.message());
        assertTrue(vm.player.duration() > 0);

        Path out = dir.resolve("chapter.wav");
        vm.segments.export(List.of(c), ExportFormat.WAV, out);
        assertTrue(Files.size(out) > 44, vm.status.message());
        // the export, streamed from the take files, is the chapter the player plays (same takes, same gaps)
        vm.player.loadChapter(c);
        float[] played = vm.player.clip().samples(), exported = org.higgsnarrator.audio.AudioReader.read(out).samples();
        assertEquals(played.length, exported.length, "the exported chapter's length");
        for (int i = 0; i < played.length; i++)
            assertEquals(played[i], exported[i], 1.0 / 32767, "sample " + i + " (16-bit WAV of the same audio)");
    }
}
