package org.higgsnarrator.ui.vm;

import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderTask;

/**
 * The render queue: jobs run one at a time (one model), in order, with progress, ×real-time, ETA and cancel.
 * A finished render is stored as a take by the {@link Sink} (file writing on the background thread, bookkeeping
 * on the UI thread).
 */
public final class RenderQueueViewModel {
    /** Where finished renders go. */
    public interface Sink {
        /** Background thread: write the take's audio and describe it. */
        Take store(RenderJob job, AudioClip audio) throws Exception;

        /** UI thread: record the take. */
        void accept(RenderJob job, Take take);
    }

    private final ObservableList<RenderJob> jobs = FXCollections.observableArrayList();
    private final ObservableList<RenderJob> jobsView = FXCollections.unmodifiableObservableList(jobs);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("Queue empty");
    public final Command cancelAllCommand = new Command(this::cancelAll);
    public final Command clearFinishedCommand = new Command(this::clearFinished);

    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final LongSupplier nanoClock;
    private final Sink sink;

    public RenderQueueViewModel(NarrationService service, BackgroundExecutor exec, LongSupplier nanoClock, Sink sink) {
        this.service = service;
        this.exec = exec;
        this.nanoClock = nanoClock;
        this.sink = sink;
    }

    /** Jobs in the order queued; finished ones stay until {@link #clearFinished()}. */
    public ObservableList<RenderJob> jobs() {
        return jobsView;
    }

    /** Whether a job is rendering now. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** "rendering · 2 queued · 3 done · 1 failed". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public void enqueue(RenderJob job) {
        jobs.add(job);
        pump();
    }

    /** True when a job for this chapter segment content is already waiting or running. */
    public boolean isPending(String hash) {
        return jobs.stream().anyMatch(j -> j.hash.equals(hash) && !j.isFinished());
    }

    public void cancel(RenderJob job) {
        if (job.isFinished()) return;
        job.cancelRequested = true;
        RenderTask t = job.task;
        if (t != null) t.cancel();
        if (job.state.get() == RenderJob.State.QUEUED) {
            job.state.set(RenderJob.State.CANCELLED);
            job.message.set("cancelled");
        }
        updateSummary();
    }

    public void cancelAll() {
        for (RenderJob j : jobs) cancel(j);
    }

    public void clearFinished() {
        jobs.removeIf(RenderJob::isFinished);
        updateSummary();
    }

    private void pump() {
        if (running.get()) return;
        RenderJob next = jobs.stream().filter(j -> j.state.get() == RenderJob.State.QUEUED).findFirst().orElse(null);
        if (next == null) {
            updateSummary();
            return;
        }
        running.set(true);
        next.state.set(RenderJob.State.RUNNING);
        next.message.set("starting…");
        updateSummary();
        long t0 = nanoClock.getAsLong();
        exec.submit(() -> {
            RenderListener listener = new RenderListener() {
                @Override
                public void onAudio(float[] pcm) {}

                /** The engine's ×real-time, ETA and fraction, shown as they are (not computed again here). */
                @Override
                public void onProgress(Progress p) {
                    exec.onUi(() -> {
                        if (!Double.isNaN(p.fraction())) next.progress.set(Math.min(0.99, p.fraction()));
                        next.realtimeFactor.set(p.realTime());
                        next.eta.set(Double.isNaN(p.etaSeconds()) ? "" : String.format(Locale.ROOT, "~%.0f s left", p.etaSeconds()));
                        next.message.set(String.format(Locale.ROOT, "%.1f s of audio · ×%.2f real-time", p.audioSeconds(), p.realTime()));
                    });
                }
            };
            if (next.cancelRequested) throw new CancellationException();
            RenderTask task = service.render(next.request, listener);
            next.task = task;
            if (next.cancelRequested) task.cancel();
            AudioClip audio = task.await();
            double wall = Math.max(1e-9, (nanoClock.getAsLong() - t0) / 1e9);
            Take take = sink.store(next, audio);
            return new Finished(take, audio.seconds() / wall);
        }, done -> {
            next.task = null;
            sink.accept(next, done.take);
            next.progress.set(1);
            next.realtimeFactor.set(done.rtf);
            next.eta.set("");
            next.message.set(String.format("done · %.1f s · ×%.2f real-time", done.take.seconds(), done.rtf));
            next.state.set(RenderJob.State.DONE);
            running.set(false);
            pump();
        }, err -> {
            next.task = null;
            boolean cancelled = err instanceof CancellationException || next.cancelRequested;
            next.state.set(cancelled ? RenderJob.State.CANCELLED : RenderJob.State.FAILED);
            next.message.set(cancelled ? "cancelled" : "failed: " + (err.getMessage() == null ? err.toString() : err.getMessage()));
            next.eta.set("");
            running.set(false);
            pump();
        });
    }

    private record Finished(Take take, double rtf) {}

    private void updateSummary() {
        long queued = jobs.stream().filter(j -> j.state.get() == RenderJob.State.QUEUED).count();
        long done = jobs.stream().filter(j -> j.state.get() == RenderJob.State.DONE).count();
        long failed = jobs.stream().filter(j -> j.state.get() == RenderJob.State.FAILED).count();
        if (jobs.isEmpty()) summary.set("Queue empty");
        else summary.set((running.get() ? "rendering · " : "") + queued + " queued · " + done + " done" + (failed > 0 ? " · " + failed + " failed" : ""));
    }
}
