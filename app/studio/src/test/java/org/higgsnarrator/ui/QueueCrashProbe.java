package org.higgsnarrator.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.ExportFormat;
import org.higgsnarrator.ui.service.ExportReport;
import org.higgsnarrator.ui.service.ExportRequest;
import org.higgsnarrator.ui.service.ModelChoice;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.service.PreparedVoice;
import org.higgsnarrator.ui.service.RemoteServer;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderRequest;
import org.higgsnarrator.ui.service.RenderTarget;
import org.higgsnarrator.ui.service.RenderTask;
import org.higgsnarrator.ui.vm.StudioViewModel;

/**
 * A studio session in its own process for {@link QueueCrashResumeTest}: opens the project given as argument on the real
 * engine and renders its chapter through the render queue; once the first chunk is finished it stops making progress
 * (a slow machine), so that the test can kill it mid-render (SIGKILL: no shutdown hook, no orderly path).
 */
public final class QueueCrashProbe {
    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        StudioViewModel vm = new StudioViewModel(new Stalling(NarrationServices.create()), new SynchronousExecutor(), Path.of(args[1]), System::nanoTime);
        vm.session.loadModel(vm.session.currentModelChoice());
        if (!vm.session.backend().canRender()) throw new IllegalStateException(vm.session.backend().toString());
        vm.project.open(project);
        System.out.println("RENDERING");
        System.out.flush();
        vm.segments.renderChapter(vm.project.selectedChapter()); // never returns: killed in the second chunk
        System.out.println("FINISHED " + vm.queue.jobs().getFirst().message());
    }

    /** The real engine adapter, except that progress stalls once the second chunk has started. */
    static final class Stalling implements NarrationService {
        final NarrationService d;

        Stalling(NarrationService d) {
            this.d = d;
        }

        @Override
        public RenderTask render(RenderRequest request, RenderTarget target, RenderListener l) {
            return d.render(request, target, new RenderListener() {
                @Override
                public void onAudio(float[] pcm) {
                    l.onAudio(pcm);
                }

                @Override
                public void onProgress(Progress p) {
                    l.onProgress(p);
                    if (p.chunk() >= 1) {
                        System.out.println("STALLED in chunk " + (p.chunk() + 1));
                        System.out.flush();
                        try {
                            Thread.sleep(600_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
        }

        @Override
        public RenderTask render(RenderRequest request, RenderListener listener) {
            return render(request, RenderTarget.local(null), listener);
        }

        @Override
        public BackendInfo backend() {
            return d.backend();
        }

        @Override
        public BackendInfo loadModel(ModelChoice choice) throws IOException {
            return d.loadModel(choice);
        }

        @Override
        public PreparedVoice prepareVoice(Path source, Path cacheDir) throws IOException {
            return d.prepareVoice(source, cacheDir);
        }

        @Override
        public AudioClip readAudio(Path file) throws IOException {
            return d.readAudio(file);
        }

        @Override
        public RemoteServer remoteServer(String url, String apiKey) {
            return d.remoteServer(url, apiKey);
        }

        @Override
        public String checkServer(RemoteServer server) throws IOException {
            return d.checkServer(server);
        }

        @Override
        public List<ExportFormat> exportFormats() {
            return d.exportFormats();
        }

        @Override
        public ExportReport exportAudio(ExportRequest request) throws IOException {
            return d.exportAudio(request);
        }

        @Override
        public void close() {
            d.close();
        }
    }
}
