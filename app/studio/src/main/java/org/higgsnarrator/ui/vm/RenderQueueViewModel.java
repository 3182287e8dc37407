package org.higgsnarrator.ui.vm;

import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.engine.RenderCheckpoint;
import org.higgsnarrator.io.AtomicFiles;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.RemoteServer;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderTarget;
import org.higgsnarrator.ui.service.RenderTask;
import org.higgsnarrator.ui.service.ServerUnavailableException;

/**
 * The render queue: segment jobs in order, with progress, ×real-time, ETA, where each renders, cancel and resume.
 *
 * <p><b>Where jobs render.</b> This computer's engine renders as many jobs at a time as it decodes together in one
 * batch ({@link NarrationService#segmentsAtOnce()}: one place each, the first on the queue's executor, the others on
 * their own; one place when the model decodes one sequence at a time); each render server of the settings
 * ({@link #setServers}) renders one job at a time beside it, on its own background executor. A waiting job
 * goes to the first free place — the servers in the order listed, then this computer — so work goes to whoever has
 * the least outstanding (none). A job whose server fails (unreachable, overloaded, refusing the key) goes back to the
 * queue for the other places and the server is marked offline until a check passes (the next render asked for, or
 * Resume, checks it again); the chunks it had returned stay in the job's remote checkpoint for the next server.
 *
 * <p><b>Crash-safe.</b> Every job renders through a checkpoint folder ({@link RenderJob#checkpoint}) that keeps its
 * finished chunks until the take is stored, and the jobs not done or cancelled are listed in the project's
 * {@code book.assets/queue.json}, rewritten whenever that set changes. After a crash, a kill or a close, opening the
 * project lists them as {@link RenderJob.State#INTERRUPTED} ({@link #restore}); Resume continues each at its first
 * unfinished chunk — finished chunks are never rendered again. Not automatic: the user decides (a different model
 * may be loaded now, or the render may be what brought the studio down).
 *
 * <p>A finished render is stored as a take by the {@link Sink} (file writing on the background thread, bookkeeping
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

    /** One line of {@code queue.json}: what finds the job again in the project (chapter, segment hash) and its take's seed. */
    public record Saved(String chapterId, String hash, long seed, String label) {}

    /** The file listing a project's unfinished jobs, in its assets folder. */
    public static final String QUEUE_FILE = "queue.json";
    /** Shown as where a job renders when it runs on this computer's engine. */
    public static final String LOCAL = "this computer";

    /** A place that renders one job at a time: this computer (server null) or a render server. */
    private static final class Lane {
        final RemoteServer server;
        final BackgroundExecutor exec;
        RenderJob job;
        boolean offline, checking, removed;
        String offlineReason = "";

        Lane(RemoteServer server, BackgroundExecutor exec) {
            this.server = server;
            this.exec = exec;
        }

        String name() {
            return server == null ? LOCAL : server.url();
        }
    }

    private final ObservableList<RenderJob> jobs = FXCollections.observableArrayList();
    private final ObservableList<RenderJob> jobsView = FXCollections.unmodifiableObservableList(jobs);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("Queue empty");
    public final Command cancelAllCommand = new Command(this::cancelAll);
    public final Command clearFinishedCommand = new Command(this::clearFinished);
    public final Command resumeAllCommand = new Command(this::resumeAll);

    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final LongSupplier nanoClock;
    private final Sink sink;
    private final List<Lane> lanes = new ArrayList<>();

    public RenderQueueViewModel(NarrationService service, BackgroundExecutor exec, LongSupplier nanoClock, Sink sink) {
        this.service = service;
        this.exec = exec;
        this.nanoClock = nanoClock;
        this.sink = sink;
        lanes.add(new Lane(null, exec));
    }

    /** Jobs in the order queued; finished ones stay until {@link #clearFinished()}. */
    public ObservableList<RenderJob> jobs() {
        return jobsView;
    }

    /** Whether a job is rendering now. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** "rendering 2 (this computer, http://gpu:8000) · 2 queued · 3 done · 1 failed · 1 interrupted". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    // ---------------------------------------------------------------- places

    /**
     * The render servers to use beside this computer (the settings' list). A server no longer listed finishes the job
     * it renders and takes no other; a new one takes waiting jobs at once.
     */
    public void setServers(List<RemoteServer> servers) {
        Map<String, Lane> old = new LinkedHashMap<>();
        for (Lane l : lanes) if (l.server != null) old.put(l.server.url(), l);
        List<Lane> next = new ArrayList<>();
        for (RemoteServer s : servers) {
            Lane l = old.remove(s.url());
            if (l == null || !l.server.equals(s)) {
                if (l != null) retire(l);
                l = new Lane(s, exec.another());
            }
            next.add(l);
        }
        for (Lane l : old.values()) retire(l);
        lanes.removeIf(l -> l.server != null);
        lanes.addAll(0, next);
        pump();
    }

    private void retire(Lane l) {
        l.removed = true;
        if (l.job == null && l.exec != exec) l.exec.close();
    }

    /** The servers in use and whether each is offline (with why), for the queue's header: "" when there are none. */
    public String servers() {
        StringBuilder sb = new StringBuilder();
        for (Lane l : lanes) {
            if (l.server == null) continue;
            if (!sb.isEmpty()) sb.append(" · ");
            sb.append(l.server.url()).append(l.offline ? " offline (" + l.offlineReason + ")" : l.job != null ? " rendering" : " ready");
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- commands

    public void enqueue(RenderJob job) {
        // the same take (segment content and seed) stopped earlier: resume it rather than queue it twice
        for (RenderJob j : jobs) {
            if (j.state.get() == RenderJob.State.INTERRUPTED && j.hash.equals(job.hash) && j.request.seed() == job.request.seed()) {
                resume(j);
                return;
            }
        }
        jobs.add(job);
        persist(job.assetsDir);
        recheckOffline();
        pump();
    }

    /** True when a job for this segment content is waiting or running (an interrupted one is resumed by {@link #enqueue}). */
    public boolean isPending(String hash) {
        return jobs.stream().anyMatch(j -> j.hash.equals(hash) && (j.state.get() == RenderJob.State.QUEUED || j.state.get() == RenderJob.State.RUNNING));
    }

    /** An interrupted or failed job back in the queue: it continues at its finished chunks. */
    public void resume(RenderJob job) {
        RenderJob.State s = job.state.get();
        if (s != RenderJob.State.INTERRUPTED && s != RenderJob.State.FAILED) return;
        job.cancelRequested = false;
        job.state.set(RenderJob.State.QUEUED);
        job.message.set("queued (resumes at its finished chunks)");
        job.eta.set("");
        persist(job.assetsDir);
        recheckOffline();
        pump();
    }

    public void resumeAll() {
        for (RenderJob j : List.copyOf(jobs)) if (j.state.get() == RenderJob.State.INTERRUPTED) resume(j);
    }

    public void cancel(RenderJob job) {
        if (job.isFinished()) return;
        job.cancelRequested = true;
        RenderTask t = job.task;
        if (t != null) t.cancel();
        RenderJob.State s = job.state.get();
        if (s == RenderJob.State.QUEUED || s == RenderJob.State.INTERRUPTED) {
            job.state.set(RenderJob.State.CANCELLED);
            job.message.set("cancelled");
            discardCheckpoints(job);
            persist(job.assetsDir);
        }
        updateSummary();
    }

    public void cancelAll() {
        for (RenderJob j : List.copyOf(jobs)) cancel(j);
    }

    public void clearFinished() {
        List<RenderJob> gone = jobs.stream().filter(RenderJob::isFinished).toList();
        jobs.removeAll(gone);
        for (RenderJob j : gone) {
            if (j.state.get() == RenderJob.State.FAILED) discardCheckpoints(j); // a failed job kept them for Resume
        }
        gone.stream().map(j -> j.assetsDir).distinct().forEach(this::persist);
        updateSummary();
    }

    /**
     * Takes every job off the queue without forgetting them (the project closes, or the studio): running renders stop,
     * checkpoints and {@code queue.json} stay, and the next {@link #restore} of the project offers them for Resume.
     */
    public void detachAll() {
        for (RenderJob j : List.copyOf(jobs)) {
            if (j.isFinished()) continue;
            j.detached = true;
            RenderTask t = j.task;
            if (t != null) t.cancel();
        }
        jobs.clear();
        updateSummary();
    }

    /** Closes the server places' executors (the studio closes); running jobs were detached first. */
    public void close() {
        detachAll();
        for (Lane l : lanes) if (l.exec != exec) l.exec.close();
    }

    // ---------------------------------------------------------------- after a crash

    /** The jobs a project's {@code queue.json} lists (empty when there is none; a broken file is reported and ignored). */
    public static List<Saved> readSaved(Path assetsDir) throws IOException {
        Path f = assetsDir.resolve(QUEUE_FILE);
        if (!Files.isRegularFile(f)) return List.of();
        try {
            List<Saved> s = ProjectStore.GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), new TypeToken<List<Saved>>() {}.getType());
            return s == null ? List.of() : s.stream().filter(x -> x != null && x.hash() != null && x.chapterId() != null).toList();
        } catch (JsonParseException e) {
            throw new IOException(f + " is not a render queue (" + e.getMessage() + "); delete it to start with an empty queue", e);
        }
    }

    /** A job found in {@code queue.json} on opening its project: listed as interrupted, with how far it got. */
    public void restore(RenderJob job) {
        job.state.set(RenderJob.State.INTERRUPTED);
        job.message.set("interrupted" + howFar(job) + " — Resume continues there");
        jobs.add(job);
        updateSummary();
    }

    /** " · 2 of 5 chunks rendered" from the job's checkpoints ("" when nothing was finished). */
    static String howFar(RenderJob job) {
        try {
            Path localParts = job.checkpoint(false), remoteParts = job.checkpoint(true);
            int done = RenderCheckpoint.status(localParts).chunks(), total = RenderCheckpoint.chunkCount(localParts);
            int received = 0, remoteTotal = RenderCheckpoint.chunkCount(remoteParts);
            if (Files.isDirectory(remoteParts)) {
                try (var files = Files.list(remoteParts)) {
                    received = (int) files.filter(f -> f.getFileName().toString().matches("remote-\\d+\\.wav")).count();
                }
            }
            if (received > done) return " · " + received + " of " + remoteTotal + " chunks received from servers";
            return done > 0 ? " · " + done + " of " + total + " chunks rendered" : "";
        } catch (IOException e) {
            return "";
        }
    }

    // ---------------------------------------------------------------- scheduling

    /** Starts waiting jobs on free places until there are no waiting jobs or no free places. */
    private void pump() {
        fitLocalPlaces();
        while (true) {
            RenderJob next = jobs.stream().filter(j -> j.state.get() == RenderJob.State.QUEUED).findFirst().orElse(null);
            if (next == null) break;
            Lane lane = null;
            for (Lane l : lanes) {
                if (l.job == null && !l.offline && !l.removed) {
                    lane = l;
                    break;
                }
            }
            if (lane == null) break;
            start(lane, next);
        }
        updateSummary();
    }

    /**
     * As many places on this computer as the loaded model decodes together (it may have changed since the last look):
     * the first stays, extra ones are made on executors of their own, and ones no longer wanted finish their job first.
     */
    private void fitLocalPlaces() {
        int want = Math.max(1, service.segmentsAtOnce());
        List<Lane> here = lanes.stream().filter(l -> l.server == null && !l.removed).toList();
        for (int i = here.size(); i < want; i++) lanes.add(new Lane(null, exec.another()));
        for (int i = want; i < here.size(); i++) retire(here.get(i));
        lanes.removeIf(l -> l.server == null && l.removed && l.job == null);
    }

    /** Offline servers are checked again when there is work for them (never on a timer). */
    private void recheckOffline() {
        for (Lane l : lanes) {
            if (!l.offline || l.checking || l.removed) continue;
            l.checking = true;
            l.exec.submit(() -> service.checkServer(l.server), ok -> {
                l.checking = false;
                l.offline = false;
                pump();
            }, e -> {
                l.checking = false;
                l.offlineReason = StatusViewModel.message(e);
                updateSummary();
            });
        }
    }

    private void start(Lane lane, RenderJob job) {
        lane.job = job;
        job.state.set(RenderJob.State.RUNNING);
        job.renderer.set(lane.name());
        job.message.set("starting on " + lane.name() + "…");
        updateSummary();
        RenderTarget target = new RenderTarget(lane.server, job.checkpoint(lane.server != null));
        long t0 = nanoClock.getAsLong();
        int[] resumed = {0};
        lane.exec.submit(() -> {
            RenderListener listener = new RenderListener() {
                @Override
                public void onAudio(float[] pcm) {}

                /** The engine's ×real-time, ETA and fraction, shown as they are (not computed again here). */
                @Override
                public void onProgress(Progress p) {
                    exec.onUi(() -> {
                        if (!Double.isNaN(p.fraction())) job.progress.set(Math.min(0.99, p.fraction()));
                        job.realtimeFactor.set(p.realTime());
                        job.eta.set(Double.isNaN(p.etaSeconds()) ? "" : String.format(Locale.ROOT, "~%.0f s left", p.etaSeconds()));
                        job.message.set(String.format(Locale.ROOT, "%s%.1f s of audio · ×%.2f real-time", resumed[0] > 0 ? "resumed · " : "",
                                p.audioSeconds(), p.realTime()));
                    });
                }

                @Override
                public void onResume(int done, int total) {
                    resumed[0] = done;
                    exec.onUi(() -> job.message.set("resuming: " + done + " of " + total + " chunks already rendered"));
                }
            };
            if (job.cancelRequested || job.detached) throw new CancellationException();
            // this computer's places decode their jobs together in one batch (a take is the one a single render gives)
            RenderTask task = lane.server == null ? service.renderTogether(job.request, target, listener) : service.render(job.request, target, listener);
            job.task = task;
            if (job.cancelRequested || job.detached) task.cancel();
            AudioClip audio = task.await();
            double wall = Math.max(1e-9, (nanoClock.getAsLong() - t0) / 1e9);
            Take take = sink.store(job, audio);
            discardCheckpoints(job); // the take is on disk: the finished chunks are no longer needed
            return new Finished(take, audio.seconds() / wall, resumed[0]);
        }, done -> {
            job.task = null;
            free(lane);
            sink.accept(job, done.take);
            job.progress.set(1);
            job.realtimeFactor.set(done.rtf);
            job.eta.set("");
            job.message.set(String.format(Locale.ROOT, "done on %s · %.1f s · ×%.2f real-time%s", lane.name(), done.take.seconds(), done.rtf,
                    done.resumed > 0 ? " · resumed after " + done.resumed + " finished chunk(s)" : ""));
            job.state.set(RenderJob.State.DONE);
            persist(job.assetsDir);
            pump();
        }, err -> {
            job.task = null;
            free(lane);
            job.eta.set("");
            if (job.detached) {
                // its project closed: the checkpoint and queue.json keep it for the next open
            } else if (err instanceof ServerUnavailableException && !job.cancelRequested) {
                // the server's fault, not the segment's: another place renders it; the server rests until a check passes
                lane.offline = true;
                lane.offlineReason = StatusViewModel.message(err);
                job.state.set(RenderJob.State.QUEUED);
                job.renderer.set("");
                job.message.set("re-queued: " + lane.name() + " failed (" + lane.offlineReason + ")");
            } else {
                boolean cancelled = err instanceof CancellationException || job.cancelRequested;
                job.state.set(cancelled ? RenderJob.State.CANCELLED : RenderJob.State.FAILED);
                job.message.set(cancelled ? "cancelled" : "failed: " + StatusViewModel.message(err) + " (Resume continues at its finished chunks)");
                if (cancelled) discardCheckpoints(job);
                persist(job.assetsDir);
            }
            pump();
        });
    }

    private void free(Lane lane) {
        lane.job = null;
        if (lane.removed && lane.exec != exec) lane.exec.close();
    }

    private record Finished(Take take, double rtf, int resumed) {}

    private static void discardCheckpoints(RenderJob job) {
        try {
            RenderCheckpoint.delete(job.checkpoint(false));
            RenderCheckpoint.delete(job.checkpoint(true));
        } catch (IOException e) {
            // a leftover folder costs disk only; the next render of the same take claims it again
        }
    }

    /** Rewrites {@code queue.json} of a project: its jobs neither done nor cancelled (none: the file is removed). */
    private void persist(Path assetsDir) {
        if (assetsDir == null) return;
        List<Saved> saved = new ArrayList<>();
        for (RenderJob j : jobs) {
            RenderJob.State s = j.state.get();
            if (!assetsDir.equals(j.assetsDir) || s == RenderJob.State.DONE || s == RenderJob.State.CANCELLED) continue;
            saved.add(new Saved(j.chapter.id, j.hash, j.request.seed(), j.label));
        }
        Path f = assetsDir.resolve(QUEUE_FILE);
        try {
            if (saved.isEmpty()) Files.deleteIfExists(f);
            else AtomicFiles.writeString(f, ProjectStore.GSON.toJson(saved) + "\n");
        } catch (IOException e) {
            // the queue still renders; only a crash would forget it
            System.err.println("studio: cannot write " + f + ": " + e.getMessage());
        }
    }

    private void updateSummary() {
        long queued = count(RenderJob.State.QUEUED), done = count(RenderJob.State.DONE), failed = count(RenderJob.State.FAILED);
        long interrupted = count(RenderJob.State.INTERRUPTED);
        List<String> busy = lanes.stream().filter(l -> l.job != null).map(Lane::name).toList();
        running.set(!busy.isEmpty());
        if (jobs.isEmpty()) {
            summary.set("Queue empty");
            return;
        }
        StringBuilder s = new StringBuilder();
        if (busy.size() == 1) s.append("rendering · ");
        else if (busy.size() > 1) s.append("rendering ").append(busy.size()).append(" (").append(String.join(", ", counted(busy))).append(") · ");
        s.append(queued).append(" queued · ").append(done).append(" done");
        if (failed > 0) s.append(" · ").append(failed).append(" failed");
        if (interrupted > 0) s.append(" · ").append(interrupted).append(" interrupted");
        long offline = lanes.stream().filter(l -> l.offline && !l.removed).count();
        if (offline > 0) s.append(" · ").append(offline).append(" server(s) offline");
        summary.set(s.toString());
    }

    /** "this computer", "this computer", "http://gpu:8000" → "this computer ×2", "http://gpu:8000". */
    private static List<String> counted(List<String> names) {
        Map<String, Integer> n = new LinkedHashMap<>();
        for (String x : names) n.merge(x, 1, Integer::sum);
        return n.entrySet().stream().map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " ×" + e.getValue()).toList();
    }

    private long count(RenderJob.State s) {
        return jobs.stream().filter(j -> j.state.get() == s).count();
    }
}
