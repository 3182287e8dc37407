package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.service.EngineNarrationService;
import org.higgsnarrator.ui.service.ModelChoice;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The render queue's places on this computer (the real engine adapter on the bundled model, which decodes batches):
 * as many as the engine decodes together, their jobs run at the same time on threads of their own and decoded in one
 * batch, and each take is the one a single render of its request gives.
 */
class LocalPlacesTest {
    @TempDir
    Path assets;

    /**
     * Background work waits until {@link #runTogether}, which runs every place's pending work at the same time on
     * threads of its own and then delivers the results on the calling (the test's "UI") thread, in order.
     */
    static final class Places implements BackgroundExecutor {
        final List<Places> all;
        final List<Runnable[]> pending = new ArrayList<>();

        Places(List<Places> all) {
            this.all = all;
            all.add(this);
        }

        @Override
        public <T> void submit(Callable<T> work, Consumer<? super T> ok, Consumer<Throwable> fail) {
            Object[] out = new Object[2];
            pending.add(new Runnable[] {() -> {
                try {
                    out[0] = work.call();
                } catch (Throwable e) {
                    out[1] = e;
                }
            }, () -> {
                if (out[1] != null) fail.accept((Throwable) out[1]);
                else {
                    @SuppressWarnings("unchecked") T r = (T) out[0];
                    ok.accept(r);
                }
            }});
        }

        @Override
        public BackgroundExecutor another() {
            return new Places(all);
        }

        /** Runs all places' pending work together, then its callbacks here; again while callbacks queue more. */
        void runTogether() throws Exception {
            ExecutorService threads = Executors.newCachedThreadPool();
            try {
                while (true) {
                    List<Runnable[]> batch = new ArrayList<>();
                    for (Places p : all) {
                        batch.addAll(p.pending);
                        p.pending.clear();
                    }
                    if (batch.isEmpty()) return;
                    List<Future<?>> running = new ArrayList<>();
                    for (Runnable[] w : batch) running.add(threads.submit(w[0]));
                    for (Future<?> f : running) f.get();
                    for (Runnable[] w : batch) w[1].run();
                }
            } finally {
                threads.shutdownNow();
            }
        }

        @Override
        public void onUi(Runnable r) {
            synchronized (all) {
                r.run();
            }
        }

        @Override
        public void close() {}
    }

    @Test
    void jobsOnThisComputerRenderTogetherAndEachTakeIsItsSingleRender() throws Exception {
        try (EngineNarrationService service = new EngineNarrationService()) {
            service.loadModel(new ModelChoice(AppSettings.bundledModel(), org.higgsnarrator.runtime.Device.CPU, 0));
            assertEquals(4, service.segmentsAtOnce(), "the bundled model decodes batches: up to 4 at once");
            Places exec = new Places(new ArrayList<>());
            Map<RenderJob, AudioClip> takes = new LinkedHashMap<>();
            RenderQueueViewModel q = new RenderQueueViewModel(service, exec, System::nanoTime, new RenderQueueViewModel.Sink() {
                @Override
                public Take store(RenderJob job, AudioClip audio) {
                    synchronized (takes) {
                        takes.put(job, audio);
                    }
                    return new Take("t-" + job.hash, "takes/" + job.hash + ".wav", audio.seconds(), job.request.seed(), java.time.Instant.now().toString(), "tiny", null);
                }

                @Override
                public void accept(RenderJob job, Take take) {}
            });
            List<RenderJob> jobs = new ArrayList<>();
            String[] texts = {"The first segment.", "A second one, a little longer.", "The third.", "And a fourth.", "A fifth waits for a place."};
            for (int i = 0; i < texts.length; i++) {
                ChapterViewModel c = new ChapterViewModel(new Project.Chapter("c", "Ch", "", texts[i], List.of()));
                RenderRequest req = new RenderRequest(texts[i], new RenderRequest.VoiceRef.ModelChoice(), "",
                        new Project.GenerationSettings(1.0, 50, 0.95, 7, 2, 60, 7), 100 + i);
                jobs.add(new RenderJob(c, 0, "h" + i, req, "Ch §" + (i + 1), assets));
            }
            for (RenderJob j : jobs) q.enqueue(j);
            assertEquals(List.of(RenderJob.State.RUNNING, RenderJob.State.RUNNING, RenderJob.State.RUNNING, RenderJob.State.RUNNING, RenderJob.State.QUEUED),
                    jobs.stream().map(RenderJob::state).toList(), "four places on this computer");
            assertEquals("rendering 4 (this computer ×4) · 1 queued · 0 done", q.summaryProperty().get());

            exec.runTogether();
            assertTrue(jobs.stream().allMatch(j -> j.state() == RenderJob.State.DONE), jobs.stream().map(RenderJob::message).toList().toString());
            var stats = service.segmentsAtOnceStats();
            assertTrue(stats != null && stats.sequenceSteps() > 0, "the jobs went through the engine's batch: " + stats);
            for (RenderJob j : jobs) {
                float[] single = service.render(j.request, RenderListener.IGNORE).await().samples();
                assertArrayEquals(single, takes.get(j).samples(), j.label + " = its single render");
            }
            System.out.println("local places: " + stats);
        }
    }
}
