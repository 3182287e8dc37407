package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.render.BookRender;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.serve.NarratorServer;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.service.RemoteServer;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 in the studio: Settings → Render servers (add, test, remove; saved, key never shown) and the render queue
 * rendering on them, over real HTTP on the loopback against {@code narrator serve}'s server on the bundled package —
 * a segment rendered there is the local take sample for sample, and a server that stops has its work done here.
 */
class RenderServersTest {
    static final String KEY = "s3cret-farm-key-91";
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
    void addTestRemoveRenderOnAServerAndFallBackWhenItStops() throws Exception {
        served = NarratorLoader.load(AppSettings.bundledModel(), Device.CPU);
        List<String> serverLog = new CopyOnWriteArrayList<>();
        NarratorServer a = NarratorServer.start(served, NarratorServer.Config.loopback(0, "tiny").withApiKey(KEY), serverLog::add);
        try (NarratorServer other = NarratorServer.start(served, NarratorServer.Config.loopback(0, "tiny").withApiKey("another-key"), null)) {
            Path settings = dir.resolve("settings.json");
            vm = new StudioViewModel(NarrationServices.create(), new SynchronousExecutor(), settings, System::nanoTime);
            vm.session.loadModel(vm.session.currentModelChoice());
            assertTrue(vm.session.backend().canRender(), vm.session.backend().toString());

            // add: checked and normalised (a trailing /v1 as Boson's examples write it), saved owner-only, the key never shown
            assertFalse(vm.session.addServer("ftp://nowhere", ""));
            assertTrue(vm.session.serverCheckProperty().get().startsWith("Not added") && vm.session.serverCheckProperty().get().contains("http"),
                    vm.session.serverCheckProperty().get());
            assertTrue(vm.session.addServer(a.uri() + "/v1/", KEY), vm.session.serverCheckProperty().get());
            RemoteServer onA = vm.session.renderServers().getFirst();
            assertEquals(a.uri().toString().replaceAll("/$", ""), onA.url());
            assertFalse(vm.session.addServer(a.uri().toString(), KEY), "listed once");
            assertTrue(Files.readString(settings).contains(onA.url()) && Files.readString(settings).contains(KEY), "saved with its key");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(settings)));
            assertFalse(onA.toString().contains(KEY) || vm.status.message().contains(KEY) || vm.session.serverCheckProperty().get().contains(KEY));
            assertEquals(List.of(onA), AppSettings.load(settings).servers(), "read back on the next start");

            // test: a real /health + /v1/models request; a wrong key is named as the problem
            vm.session.checkServer(onA);
            assertTrue(vm.session.serverCheckOkProperty().get(), vm.session.serverCheckProperty().get());
            assertTrue(vm.session.serverCheckProperty().get().startsWith("OK") && vm.session.serverCheckProperty().get().contains("serves 'tiny'"),
                    vm.session.serverCheckProperty().get());
            assertTrue(vm.session.addServer(other.uri().toString(), "wrong-key"));
            RemoteServer wrong = vm.session.renderServers().get(1);
            vm.session.checkServer(wrong);
            assertFalse(vm.session.serverCheckOkProperty().get());
            assertTrue(vm.session.serverCheckProperty().get().contains("401"), vm.session.serverCheckProperty().get());
            vm.session.removeServer(wrong);
            assertEquals(List.of(onA), vm.session.renderServers());
            assertEquals(List.of(onA), AppSettings.load(settings).servers());

            // render: the segments go to the server (the queue says so), and the take is the local render's
            vm.project.newProject(dir.resolve("r.narrator"), "R");
            vm.project.setGenerationSettings(new Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 40, 7));
            vm.project.selectedChapter().script.set("The first paragraph.\n\nThe second paragraph, a little longer.");
            vm.cast.syncSpeakers();
            ChapterViewModel c = vm.project.selectedChapter();
            assertEquals(2, vm.segments.renderChapter(c));
            for (RenderJob j : vm.queue.jobs()) {
                assertEquals(RenderJob.State.DONE, j.state(), j.message());
                assertEquals(onA.url(), j.renderer());
                assertTrue(j.message().startsWith("done on " + onA.url()), j.message());
            }
            assertEquals(2, serverLog.stream().filter(l -> l.contains("POST /v1/chat/completions 200")).count(), String.join("\n", serverLog));
            assertEquals(vm.session.backend().modelName() + " on " + onA.url(), c.segments().getFirst().chosenTake().model(), "the take says where it was rendered");
            float[] remote = AudioReader.read(vm.project.assetsDir().resolve(c.segments().getFirst().chosenTake().file())).samples();
            try (NarrationService local = NarrationServices.create()) {
                local.loadModel(vm.session.currentModelChoice());
                float[] here = local.render(vm.queue.jobs().getFirst().request, RenderTarget.local(null), RenderListener.IGNORE).await().samples();
                assertEquals(here.length, remote.length);
                for (int i = 0; i < here.length; i++) assertEquals(here[i], remote[i], 1.01 / 32768, "sample " + i);
            }
            assertFalse(Files.exists(vm.queue.jobs().getFirst().checkpoint(true)), "received chunks are deleted once the take is stored");

            // the server stops: its next job fails there, goes back to the queue and renders on this computer
            a.close();
            vm.queue.clearFinished();
            vm.segments.renderSegment(c, 1, true);
            RenderJob next = vm.queue.jobs().getFirst();
            assertEquals(RenderJob.State.DONE, next.state(), next.message());
            assertEquals(RenderQueueViewModel.LOCAL, next.renderer());
            assertTrue(vm.queue.summaryProperty().get().contains("1 server(s) offline"), vm.queue.summaryProperty().get());
            assertTrue(vm.queue.servers().contains(onA.url() + " offline"), vm.queue.servers());
            assertEquals(2, c.segments().get(1).rendered().takes().size(), "the new take is stored");
            assertEquals(vm.session.backend().modelName(), c.segments().get(1).rendered().takes().get(1).model(), "rendered here");
        } finally {
            a.close();
        }
    }

    /**
     * Render book with render servers in Settings: the whole book goes to them (as {@code ./narrator render --server}),
     * its takes keyed as the queue's server takes; when no server answers, this computer renders and the status line
     * says why.
     */
    @Test
    void theBookRendersOnTheServersAndHereWhenNoneAnswers() throws Exception {
        served = NarratorLoader.load(AppSettings.bundledModel(), Device.CPU);
        List<String> serverLog = new CopyOnWriteArrayList<>();
        NarratorServer a = NarratorServer.start(served, NarratorServer.Config.loopback(0, "tiny").withApiKey(KEY), serverLog::add);
        try {
            vm = new StudioViewModel(NarrationServices.create(), new SynchronousExecutor(), dir.resolve("settings.json"), System::nanoTime);
            vm.session.loadModel(vm.session.currentModelChoice());
            assertEquals("Renders on this computer, 4 segments at once", vm.book.rendererProperty().get(), "the bundled model decodes batches");
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
