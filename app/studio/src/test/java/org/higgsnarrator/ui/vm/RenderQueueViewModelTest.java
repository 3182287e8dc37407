package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.ui.service.BasicNarrationService;
import org.higgsnarrator.ui.service.RenderRequest;
import org.junit.jupiter.api.Test;

/** Queue bookkeeping with an executor whose background work runs only when the test says so. */
class RenderQueueViewModelTest {
    /** Holds submitted work until {@link #runAll()}; UI callbacks run at once (the test is the UI thread). */
    static final class SteppedExecutor implements BackgroundExecutor {
        final List<Runnable> pending = new ArrayList<>();

        @Override
        public <T> void submit(Callable<T> work, Consumer<? super T> ok, Consumer<Throwable> fail) {
            pending.add(() -> {
                T r;
                try {
                    r = work.call();
                } catch (Throwable e) {
                    fail.accept(e);
                    return;
                }
                ok.accept(r);
            });
        }

        void runAll() {
            while (!pending.isEmpty()) pending.removeFirst().run();
        }

        @Override
        public void onUi(Runnable r) {
            r.run();
        }

        @Override
        public void close() {}
    }

    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path assets;

    static RenderJob job(String text) {
        ChapterViewModel c = new ChapterViewModel(new Project.Chapter("c", "Ch", "", text, List.of()));
        RenderRequest req = new RenderRequest(text, new RenderRequest.VoiceRef.ModelChoice(), "", Project.GenerationSettings.defaults(), 1);
        return new RenderJob(c, 0, "h-" + text, req, "Ch §1", assets);
    }

    @Test
    void oneAtATimeCancelQueuedFailuresCarryTheReason() throws Exception {
        SteppedExecutor exec = new SteppedExecutor();
        List<RenderJob> stored = new ArrayList<>();
        RenderQueueViewModel q = new RenderQueueViewModel(new BasicNarrationService(), exec, System::nanoTime, new RenderQueueViewModel.Sink() {
            @Override
            public Take store(RenderJob job, AudioClip audio) {
                throw new AssertionError("nothing renders without an engine");
            }

            @Override
            public void accept(RenderJob job, Take take) {
                stored.add(job);
            }
        });
        RenderJob a = job("One."), b = job("Two."), c = job("Three.");
        q.enqueue(a);
        q.enqueue(b);
        q.enqueue(c);
        assertEquals(RenderJob.State.RUNNING, a.state());
        assertEquals(RenderJob.State.QUEUED, b.state());
        assertTrue(q.runningProperty().get());
        assertEquals(1, exec.pending.size(), "one job at a time");
        assertTrue(q.isPending("h-Two."));

        q.cancel(b);
        assertEquals(RenderJob.State.CANCELLED, b.state());
        exec.runAll();
        assertEquals(RenderJob.State.FAILED, a.state());
        assertTrue(a.message().contains("engine"), a.message());
        assertEquals(RenderJob.State.FAILED, c.state(), "the queue moved on to the next job");
        assertEquals(RenderJob.State.CANCELLED, b.state());
        assertFalse(q.runningProperty().get());
        assertTrue(stored.isEmpty());
        assertEquals("0 queued · 0 done · 2 failed", q.summaryProperty().get());
        // failed jobs stay resumable (listed in queue.json) until cleared; the cancelled one is not listed
        var saved = RenderQueueViewModel.readSaved(assets);
        assertEquals(List.of("h-One.", "h-Three."), saved.stream().map(RenderQueueViewModel.Saved::hash).toList());
        q.clearFinished();
        assertTrue(q.jobs().isEmpty());
        assertFalse(java.nio.file.Files.exists(assets.resolve(RenderQueueViewModel.QUEUE_FILE)), "nothing pending: no queue file");
        assertEquals("Queue empty", q.summaryProperty().get());
    }

}
