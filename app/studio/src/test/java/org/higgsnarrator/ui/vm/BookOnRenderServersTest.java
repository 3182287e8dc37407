package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.render.BookRender;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.serve.NarratorServer;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Render book with render servers in Settings: the whole book goes to them (as {@code ./narrator render --server}),
 * over real HTTP on the loopback against {@code narrator serve}'s server on the bundled package; when no server
 * answers, this computer renders and the status line says why.
 */
class BookOnRenderServersTest {
    static final String KEY = "book-farm-key-27";
    @TempDir
    Path dir;
    StudioViewModel vm;
    Narrator served;

    @AfterEach
    void tearDown() {
        if (vm != null) vm.close();
        if (served != null) served.close();
    }

    @Test
    void theBookRendersOnTheServersAndHereWhenNoneAnswers() throws Exception {
        served = NarratorLoader.load(AppSettings.bundledModel(), Device.CPU);
        List<String> serverLog = new CopyOnWriteArrayList<>();
        NarratorServer a = NarratorServer.start(served, NarratorServer.Config.loopback(0, "tiny").withApiKey(KEY), serverLog::add);
        try {
            vm = new StudioViewModel(NarrationServices.create(), new SynchronousExecutor(), dir.resolve("settings.json"), System::nanoTime);
            vm.session.loadModel(vm.session.currentModelChoice());
            assertEquals("Renders on this computer", vm.book.rendererProperty().get());
            assertTrue(vm.session.addServer(a.uri().toString(), KEY), vm.session.serverCheckProperty().get());
            String url = vm.session.renderServers().getFirst().url();
            assertEquals("Renders on the render server " + url, vm.book.rendererProperty().get());

            vm.project.newProject(dir.resolve("b.narrator"), "B");
            vm.project.setGenerationSettings(new Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 40, 7));
            ChapterViewModel c = vm.project.selectedChapter();
            c.script.set("The first paragraph.\n\nThe second paragraph, a little longer.");
            vm.cast.syncSpeakers();
            Path out = dir.resolve("out");
            vm.book.prepare();
            vm.book.setOutDir(out);
            vm.book.setFormat("wav");
            vm.book.renderCommand.execute();
            BookRender.Result r = vm.book.resultProperty().get();
            assertNotNull(r, vm.book.summaryProperty().get() + " / " + vm.status.message());
            assertEquals(2, r.rendered());
            assertEquals(2, serverLog.stream().filter(l -> l.contains("POST /v1/chat/completions 200")).count(), String.join("\n", serverLog));
            assertTrue(Files.isRegularFile(r.chapters().getFirst().audio()), r.chapters().toString());
            for (var s : c.segments()) {
                assertTrue(vm.segments.isUpToDate(s), "keyed as the render queue keys a server's take: by the loaded model");
                assertEquals(vm.session.backend().modelName() + " on " + url, s.chosenTake().model(), "the take says where it was rendered");
            }

            // no server answers: this computer renders the new segment, and says why
            a.close();
            c.script.set("The first paragraph.\n\nThe second paragraph, a little longer.\n\nA third one, new.");
            vm.book.prepare();
            vm.book.renderCommand.execute();
            r = vm.book.resultProperty().get();
            assertNotNull(r, vm.book.summaryProperty().get() + " / " + vm.status.message());
            assertTrue(vm.status.message().contains("Rendered on this computer: no render server can be used"), vm.status.message());
            assertEquals(1, r.rendered(), "only the new segment");
            assertEquals(vm.session.backend().modelName(), c.segments().get(2).chosenTake().model(), "the new segment rendered here");
        } finally {
            a.close();
        }
    }
}
