package org.higgsnarrator.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.ModelChoice;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.vm.RenderJob;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A first hour without surprises: the sample project, saved takes, SIGTERM, a damaged --model. */
class SessionSafetyTest {
    @TempDir
    Path dir;
    StudioViewModel vm;

    @AfterEach
    void tearDown() {
        System.clearProperty("narrator.documents.dir");
        if (vm != null) vm.close();
    }

    StudioViewModel engineVm() {
        assertTrue(NarrationServices.engineAvailable(), "the engine adapter is part of the repository");
        vm = new StudioViewModel(NarrationServices.create(), new SynchronousExecutor(), dir.resolve("settings.json"), System::nanoTime);
        return vm;
    }

    /** The first run's sample project lands in the documents folder and renders at once, both voices and the narrator. */
    @Test
    void sampleProjectInTheDocumentsFolderRendersAtOnce() throws Exception {
        System.setProperty("narrator.documents.dir", dir.resolve("Documents").toString());
        Path sample = FirstRun.sampleProject();
        assertTrue(sample.startsWith(dir.resolve("Documents/Higgs Narrator")), sample.toString());
        engineVm().session.loadModel(vm.session.currentModelChoice());
        assertTrue(vm.session.backend().canRender(), vm.session.backend().toString());
        StudioApp.openSample(vm);
        assertEquals(sample, vm.project.projectFile());
        assertTrue(vm.status.message().contains("sample project"), vm.status.message());
        var c = vm.project.selectedChapter();
        vm.project.setGenerationSettings(new Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 50, 7));   // short takes from the test model
        assertFalse(c.scene.get().isBlank(), "the sample has a scene");
        assertEquals(3, vm.cast.speakers().size());
        assertEquals(2, vm.cast.voices().size());
        int n = vm.segments.renderChapter(c);
        assertEquals(4, n, "four segments: narrator, Mara, Tom, narrator");
        assertTrue(vm.queue.jobs().stream().allMatch(j -> j.state() == RenderJob.State.DONE),
                vm.queue.jobs().stream().map(j -> j.message()).toList().toString());
        // takes are in the project file as soon as they are written: nobody pressed Save
        Project onDisk = ProjectStore.load(sample);
        int takes = onDisk.chapters().getFirst().rendered().stream().mapToInt(r -> r.takes().size()).sum();
        assertEquals(4, takes, "every take is referenced on disk");
        for (var r : onDisk.chapters().getFirst().rendered())
            for (var t : r.takes()) {
                assertTrue(Files.isRegularFile(ProjectStore.assetsDir(sample).resolve(t.file())));
                assertNotNull(t.qa(), "the take checks ran");
            }
        // a second first run does not overwrite the sample
        assertEquals(sample, FirstRun.sampleProject());
    }

    /** A model package that fails to load is not remembered, and the status says it is not loaded. */
    @Test
    void aPackageThatFailsToLoadIsNotPersisted() throws Exception {
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        Files.copy(org.higgsnarrator.ui.AppSettings.bundledModel().resolve("manifest.json"), damaged.resolve("manifest.json"));
        engineVm().session.loadModel(new ModelChoice(damaged, vm.session.currentModelChoice().device(), 0));
        assertTrue(vm.session.backend().summary().endsWith("not loaded"), vm.session.backend().summary());
        assertTrue(vm.status.isError() && vm.status.message().startsWith("Model not loaded"), vm.status.message());
        assertFalse(vm.session.appSettings().modelPath().equals(damaged));
        assertTrue(!Files.exists(dir.resolve("settings.json")) || !Files.readString(dir.resolve("settings.json")).contains("damaged"));
    }

    /** A studio killed with SIGTERM saves its unsaved edit on the way out; reopening shows it. */
    @Test
    void aSigtermedStudioReopensWithTheLastEdit() throws Exception {
        Path project = dir.resolve("book.narrator");
        ProjectStore.save(Project.create("Book"), project);
        String edit = "Written just before the session was killed.";
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), SigtermProbe.class.getName(), project.toString(), edit));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.equals("READY")) break;
            }
            assertTrue(out.toString().contains("READY"), "the probe did not start:\n" + out);
            assertFalse(ProjectStore.load(project).chapters().getFirst().script().contains(edit), "not saved before the signal");
            p.destroy();   // SIGTERM on Unix
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the probe did not exit");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(edit, ProjectStore.load(project).chapters().getFirst().script());
    }
}
