package org.higgsnarrator.render;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.audio.AudioOptions;
import org.higgsnarrator.audio.AudiobookWriter;
import org.higgsnarrator.audio.Ffmpeg;
import org.higgsnarrator.book.Captions;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.io.AtomicFiles;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.qa.TakeQa;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderTask;

/**
 * Renders a project as an audiobook into a folder: per chapter an audio file and captions, the whole book as one M4B
 * with chapter markers, title, author and cover, and (on request) a read-along EPUB 3.
 *
 * <p>Resumable at two levels. Segments: a segment whose content hash has a take in the project (rendered by the
 * studio or an earlier run) is not rendered again; each newly rendered take is stored in the project's assets and
 * the project saved at once, so an interrupted run loses at most the segment in progress. Chapters: a chapter whose
 * files are complete for the same segments, format and captions (recorded in {@code .render/state.json} in the
 * output folder) is skipped. The chapter's lossless audio is kept in {@code .render/} for the book file.
 */
public final class BookRender {
    /** Pause between segments, as the studio's player and export join takes. */
    public static final double GAP_SECONDS = 0.25;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final AudioOptions AUDIO = AudioOptions.DEFAULTS;

    public enum CaptionFormat { NONE, SRT, VTT }

    /**
     * @param outDir    where the files go (created)
     * @param chapters  1-based chapter numbers to render, empty for all
     * @param format    m4b (chapter files .m4a + the book .m4b), mp3, flac or wav
     * @param captions  per-chapter captions
     * @param readAlong also write an EPUB 3 with media overlays
     */
    public record Options(Path outDir, Set<Integer> chapters, String format, CaptionFormat captions, boolean readAlong) {
        public Options {
            format = format == null ? "m4b" : format.toLowerCase(Locale.ROOT);
            if (!List.of("m4b", "mp3", "flac", "wav").contains(format)) throw new IllegalArgumentException("unknown format '" + format + "': use m4b, mp3, flac or wav");
            chapters = chapters == null ? Set.of() : Set.copyOf(chapters);
            captions = captions == null ? CaptionFormat.NONE : captions;
        }
    }

    /** Progress, from the rendering thread. */
    public interface Listener {
        default void chapter(int number, int count, String title, int segments, boolean upToDate) {}

        default void segment(int number, int segment, int segments, boolean reused, double seconds) {}

        /**
         * After each newly rendered segment: how far the rendering part of the run is, and the time left, estimated
         * from this run's own seconds per word (NaN before the first segment).
         */
        default void progress(int renderedSegments, int segmentsToRender, double secondsLeft) {}

        default void note(String message) {}

        /** While segment {@code segment} of chapter {@code number} renders: the engine's progress for it. */
        default void segmentProgress(int number, int segment, Progress progress) {}

        /** A chapter's files are written (or were up to date). */
        default void chapterDone(ChapterOutput chapter) {}

        /** {@code first}'s then {@code then}'s events, in that order. */
        static Listener both(Listener first, Listener then) {
            return new Listener() {
                @Override
                public void chapter(int number, int count, String title, int segments, boolean upToDate) {
                    first.chapter(number, count, title, segments, upToDate);
                    then.chapter(number, count, title, segments, upToDate);
                }

                @Override
                public void segment(int number, int segment, int segments, boolean reused, double seconds) {
                    first.segment(number, segment, segments, reused, seconds);
                    then.segment(number, segment, segments, reused, seconds);
                }

                @Override
                public void progress(int renderedSegments, int segmentsToRender, double secondsLeft) {
                    first.progress(renderedSegments, segmentsToRender, secondsLeft);
                    then.progress(renderedSegments, segmentsToRender, secondsLeft);
                }

                @Override
                public void note(String message) {
                    first.note(message);
                    then.note(message);
                }

                @Override
                public void segmentProgress(int number, int segment, Progress progress) {
                    first.segmentProgress(number, segment, progress);
                    then.segmentProgress(number, segment, progress);
                }

                @Override
                public void chapterDone(ChapterOutput chapter) {
                    first.chapterDone(chapter);
                    then.chapterDone(chapter);
                }
            };
        }
    }

    /**
     * Where a newly rendered take goes once its file is written in the project's assets (called on the rendering
     * thread). The command line saves the project file at once; the studio adds the take to its open project.
     */
    public interface TakeStore {
        void stored(String chapterId, String hash, Project.Take take) throws IOException;
    }

    /** What renders the segments: this computer's engine (the service, by default) or render servers ({@link RemoteSegments}). */
    public interface SegmentRenderer {
        /** What renders: whether it can, and the model name stored with each take. */
        BackendInfo backend();

        /** How a segment hash names the model ({@link SegmentPlan#modelId}). */
        default String modelId() {
            return SegmentPlan.modelId(backend());
        }

        RenderTask render(org.higgsnarrator.ui.service.RenderRequest request, RenderListener listener);

        /**
         * How many segments may render at once: on this computer the service's {@link NarrationService#segmentsAtOnce()}
         * (decoded together in one batch), servers × slots for render servers.
         */
        default int parallelism() {
            return 1;
        }
    }

    /** @param audio the chapter's file; @param cues its sentences, timed */
    public record ChapterOutput(int number, String title, Path audio, Path captions, double seconds, List<Captions.Cue> cues, boolean skipped) {}

    public record Result(List<ChapterOutput> chapters, Path book, Path readAlong, int rendered, int reused) {}

    /** What a finished chapter was made of, kept between runs. */
    record ChapterState(String key, String audio, String captions, double seconds, List<Captions.Cue> cues) {}

    record State(Map<String, ChapterState> chapters, String bookKey, String readAlongKey) {}

    private final NarrationService service;
    private final Path projectFile;
    private final Project given;
    private final TakeStore store;
    private SegmentRenderer renderer;
    private volatile boolean cancelled;
    private final Set<RenderTask> current = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Renders the project in {@code projectFile}; each new take is saved into that file at once ({@code ./narrator render}). */
    public BookRender(NarrationService service, Path projectFile) {
        this(service, projectFile, null, null);
    }

    /**
     * Renders {@code project} (the studio's open project, as it is now; its assets beside {@code projectFile}) and
     * hands each new take to {@code store} instead of writing the project file.
     */
    public BookRender(NarrationService service, Path projectFile, Project project, TakeStore store) {
        this.service = service;
        this.projectFile = projectFile.toAbsolutePath();
        this.given = project;
        this.store = store;
        this.renderer = new SegmentRenderer() {
            @Override
            public BackendInfo backend() {
                return service.backend();
            }

            @Override
            public RenderTask render(org.higgsnarrator.ui.service.RenderRequest request, RenderListener listener) {
                return service.renderTogether(request, listener);   // one at a time where the service decodes no batch
            }

            @Override
            public int parallelism() {
                return service.segmentsAtOnce();
            }
        };
    }

    /** Renders the segments with {@code r} instead of the service's engine (the service still reads the takes). */
    public BookRender renderOn(SegmentRenderer r) {
        this.renderer = r;
        return this;
    }

    /**
     * Stops the render soon, from any thread: the segment in progress is cancelled and {@link #render} throws
     * {@link CancellationException}. Takes and chapters finished so far are kept: the next run continues from there.
     */
    public void cancel() {
        cancelled = true;
        for (RenderTask t : current) t.cancel();
    }

    private void checkCancelled() {
        if (cancelled) throw new CancellationException("the render was cancelled");
    }

    public Result render(Options o, Listener l) throws Exception {
        Project project = given != null ? given : ProjectStore.load(projectFile);
        Path assets = ProjectStore.assetsDir(projectFile);
        BackendInfo b = renderer.backend();
        if (!b.canRender()) throw new IllegalStateException("cannot render: " + (b.cannotRenderReason() == null ? "no model loaded" : b.cannotRenderReason()));
        String modelId = renderer.modelId();

        int n = project.chapters().size();
        for (int c : o.chapters()) if (c < 1 || c > n) throw new IllegalArgumentException("chapter " + c + " does not exist: the project has " + n + " chapter(s)");
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= n; i++) if (o.chapters().isEmpty() || o.chapters().contains(i)) numbers.add(i);

        // Everything that would stop the render half-way is checked first.
        Map<Integer, List<SegmentPlan.Planned>> plans = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i : numbers) {
            Project.Chapter c = project.chapters().get(i - 1);
            List<SegmentPlan.Planned> plan = SegmentPlan.chapter(project, c, modelId, assets);
            for (SegmentPlan.Planned p : plan) if (p.problem() != null) problems.add("chapter " + i + " '" + c.title() + "' §" + (p.segment().index() + 1) + ": " + p.problem());
            if (plan.isEmpty()) problems.add("chapter " + i + " '" + c.title() + "' has no text");
            plans.put(i, plan);
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(problems.size() + " problem(s) in " + projectFile.getFileName() + ":\n  " + String.join("\n  ", problems));
        boolean ffmpeg = Ffmpeg.find().isPresent();
        if (o.format().equals("m4b") && !ffmpeg)
            throw new IOException("--format m4b needs ffmpeg, which was not found: " + Ffmpeg.INSTALL_HINT + "; or use --format flac, mp3 or wav");
        Path out = o.outDir().toAbsolutePath();
        Path work = out.resolve(".render");
        try {
            Files.createDirectories(work);
            Files.delete(Files.createTempFile(work, ".probe", ".tmp"));
        } catch (IOException e) {
            throw new IOException("cannot write to the output folder " + out + " (" + e.getMessage() + "); choose another --out", e);
        }

        Path stateFile = work.resolve("state.json");
        State state = readState(stateFile);
        AudioExporter.Format chapterFormat = switch (o.format()) {
            case "m4b" -> AudioExporter.Format.M4A;
            case "mp3" -> AudioExporter.Format.MP3;
            case "flac" -> AudioExporter.Format.FLAC;
            default -> AudioExporter.Format.WAV16;
        };
        // What this run has to render (segments without a take, in chapters that are not complete): for the ETA.
        int toRender = 0;
        long wordsToRender = 0;
        for (int i : numbers) {
            Project.Chapter c = project.chapters().get(i - 1);
            for (SegmentPlan.Planned p : plans.get(i)) {
                if (chosenTake(c, p.hash(), assets) != null) continue;
                toRender++;
                wordsToRender += words(p.segment().text());
            }
        }
        long started = System.nanoTime(), wordsDone = 0;
        int parallel = Math.max(1, renderer.parallelism());
        java.util.concurrent.ExecutorService pool = parallel == 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "book-render-segment");
            t.setDaemon(true);
            return t;
        });
        List<ChapterOutput> outputs = new ArrayList<>();
        int rendered = 0, reused = 0;
        // With several servers or segments decoded together, segments without a take render ahead, at most `parallel`
        // at a time: the chapter's own, then the next chapter's (queued behind them, so the batch stays full through a
        // chapter's last segments; at most one chapter's takes wait in memory). They are stored (and the project saved)
        // in script order below, as they would be one by one.
        Map<Integer, Map<Integer, java.util.concurrent.Future<AudioClip>>> ahead = new java.util.HashMap<>();
        try {
        for (int nth = 0; nth < numbers.size(); nth++) {
            int i = numbers.get(nth);
            Project.Chapter c = project.chapters().get(i - 1);
            List<SegmentPlan.Planned> plan = plans.get(i);
            ChapterFiles files = files(i, c, plan, o, out, work, chapterFormat);
            Path audio = files.audio(), captions = files.captions(), lossless = files.lossless();
            String key = files.key();
            ChapterState st = state.chapters().get(c.id());
            if (files.upToDate(st)) {
                l.chapter(i, numbers.size(), c.title(), plan.size(), true);
                ChapterOutput skipped = new ChapterOutput(i, c.title(), audio, captions, st.seconds(), st.cues(), true);
                outputs.add(skipped);
                l.chapterDone(skipped);
                continue;
            }
            l.chapter(i, numbers.size(), c.title(), plan.size(), false);
            List<float[]> parts = new ArrayList<>();
            List<Captions.Cue> cues = new ArrayList<>();
            int gap = (int) Math.round(GAP_SECONDS * NarrationService.RATE);
            long at = 0;
            if (pool != null) {
                renderAhead(pool, ahead, i, c, plan, assets, l);
                if (nth + 1 < numbers.size()) {
                    int next = numbers.get(nth + 1);
                    Project.Chapter nc = project.chapters().get(next - 1);
                    List<SegmentPlan.Planned> nextPlan = plans.get(next);
                    if (!files(next, nc, nextPlan, o, out, work, chapterFormat).upToDate(state.chapters().get(nc.id()))) {
                        renderAhead(pool, ahead, next, nc, nextPlan, assets, l);
                    }
                }
            }
            Map<Integer, java.util.concurrent.Future<AudioClip>> mine = ahead.getOrDefault(i, Map.of());
            for (SegmentPlan.Planned p : plan) {
                checkCancelled();
                float[] pcm = null;
                Project.Take take = chosenTake(c, p.hash(), assets);
                if (take != null) {
                    pcm = service.readAudio(assets.resolve(take.file())).samples();
                    reused++;
                    l.segment(i, p.segment().index() + 1, plan.size(), true, pcm.length / (double) NarrationService.RATE);
                } else {
                    AudioClip clip = mine.containsKey(p.segment().index()) ? result(mine.get(p.segment().index())) : renderSegment(p, i, l);
                    pcm = clip.samples();
                    project = storeTake(project, c.id(), p, clip, assets, b);
                    c = project.chapters().get(i - 1);
                    rendered++;
                    wordsDone += words(p.segment().text());
                    l.segment(i, p.segment().index() + 1, plan.size(), false, clip.seconds());
                    double perWord = (System.nanoTime() - started) / 1e9 / Math.max(1, wordsDone);
                    l.progress(rendered, toRender, perWord * Math.max(0, wordsToRender - wordsDone));
                }
                if (at > 0) {
                    parts.add(new float[gap]);
                    at += gap;
                }
                cues.addAll(sentenceCues(p.segment().text(), pcm, at / (double) NarrationService.RATE, p.segment().index()));
                parts.add(pcm);
                at += pcm.length;
            }
            AudioClip chapter = new AudioClip(join(parts, at), NarrationService.RATE);
            AudioExporter exporter = new AudioExporter(AUDIO);
            exporter.export(chapter, lossless, AudioExporter.Format.FLAC);
            exporter.export(chapter, audio, chapterFormat, c.title(), List.of());
            if (captions != null) AtomicFiles.writeString(captions, o.captions() == CaptionFormat.SRT ? Captions.srt(cues) : Captions.vtt(cues));
            state.chapters().put(c.id(), new ChapterState(key, audio.getFileName().toString(), captions == null ? null : captions.getFileName().toString(), chapter.seconds(), cues));
            writeState(stateFile, state);
            ChapterOutput written = new ChapterOutput(i, c.title(), audio, captions, chapter.seconds(), cues, false);
            outputs.add(written);
            ahead.remove(i);
            l.chapterDone(written);
        }
        } finally {
            if (pool != null) {
                if (cancelled) for (RenderTask t : current) t.cancel();
                pool.shutdownNow();
            }
        }
        checkCancelled();

        final Project done = project;
        Path book = null;
        Path cover = project.book().cover() == null ? null : assets.resolve(project.book().cover());
        String title = project.title().isBlank() ? baseName(projectFile) : project.title();
        if (ffmpeg) {
            book = out.resolve(safeName(title) + ".m4b");
            List<String> keys = new ArrayList<>(List.of(title, project.book().author(), String.valueOf(project.book().cover())));
            for (ChapterOutput c : outputs) keys.add(state.chapters().get(done.chapters().get(c.number() - 1).id()).key());
            String bookKey = key(keys, "m4b");
            if (!bookKey.equals(state.bookKey()) || !Files.isRegularFile(book)) {
                List<Path> files = outputs.stream().map(c -> work.resolve(done.chapters().get(c.number() - 1).id() + ".flac")).toList();
                new AudiobookWriter(AUDIO).writeM4b(files, outputs.stream().map(ChapterOutput::title).toList(),
                        outputs.stream().map(ChapterOutput::seconds).toList(), new AudiobookWriter.Tags(title, project.book().author(), cover), book);
                state = new State(state.chapters(), bookKey, state.readAlongKey());
                writeState(stateFile, state);
            } else {
                l.note(book.getFileName() + " is up to date");
            }
        } else {
            l.note("the book's M4B was not written: ffmpeg was not found (" + Ffmpeg.INSTALL_HINT + ")");
        }
        Path readAlong = null;
        if (o.readAlong()) {
            readAlong = out.resolve(safeName(title) + " (read-along).epub");
            ReadAlongBook.write(project, outputs, cover, readAlong, work);
        }
        return new Result(outputs, book, readAlong, rendered, reused);
    }

    /**
     * The timed sentences of one segment's take: what the captions, the read-along EPUB and the studio's sentence
     * highlighting during playback all use (one source of timing).
     *
     * @param offset where the take starts in the chapter's audio, seconds
     */
    public static List<Captions.Cue> sentenceCues(String segmentText, float[] pcm, double offset, int segmentIndex) {
        return Captions.time(Captions.sentences(segmentText, Locale.ROOT), pcm, NarrationService.RATE, offset, segmentIndex);
    }

    /** A chapter's output files and the key of what they were made from ({@code .render/state.json}). */
    private record ChapterFiles(Path audio, Path captions, Path lossless, String key) {
        /** Whether the files exist and were made from the same segments, format and captions: the chapter is skipped. */
        boolean upToDate(ChapterState st) {
            return st != null && st.key().equals(key) && Files.isRegularFile(audio) && Files.isRegularFile(lossless)
                    && (captions == null || Files.isRegularFile(captions));
        }
    }

    private static ChapterFiles files(int number, Project.Chapter c, List<SegmentPlan.Planned> plan, Options o, Path out, Path work,
            AudioExporter.Format chapterFormat) {
        String base = String.format(Locale.ROOT, "%02d - %s", number, safeName(c.title()));
        return new ChapterFiles(out.resolve(base + "." + chapterFormat.extension()),
                o.captions() == CaptionFormat.NONE ? null : out.resolve(base + "." + o.captions().name().toLowerCase(Locale.ROOT)),
                work.resolve(c.id() + ".flac"), key(plan.stream().map(SegmentPlan.Planned::hash).toList(), o.format(), c.title(), String.valueOf(o.captions())));
    }

    /** Queues chapter {@code number}'s segments without a take on the pool, once. */
    private void renderAhead(java.util.concurrent.ExecutorService pool, Map<Integer, Map<Integer, java.util.concurrent.Future<AudioClip>>> ahead, int number,
            Project.Chapter c, List<SegmentPlan.Planned> plan, Path assets, Listener l) {
        if (ahead.containsKey(number)) return;
        Map<Integer, java.util.concurrent.Future<AudioClip>> queued = new java.util.HashMap<>();
        for (SegmentPlan.Planned p : plan) {
            if (chosenTake(c, p.hash(), assets) != null) continue;
            queued.put(p.segment().index(), pool.submit(() -> renderSegment(p, number, l)));
        }
        ahead.put(number, queued);
    }

    private AudioClip renderSegment(SegmentPlan.Planned p, int chapter, Listener l) throws Exception {
        int segment = p.segment().index() + 1;
        RenderTask task = renderer.render(p.request(), new RenderListener() {
            @Override
            public void onAudio(float[] pcm) {}

            @Override
            public void onProgress(Progress progress) {
                l.segmentProgress(chapter, segment, progress);
            }
        });
        current.add(task);
        try {
            if (cancelled) task.cancel();
            return task.await();
        } finally {
            current.remove(task);
        }
    }

    /** A segment rendered ahead: its audio, or what it failed with. */
    private static AudioClip result(java.util.concurrent.Future<AudioClip> f) throws Exception {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
    }

    private static Project.Take chosenTake(Project.Chapter c, String hash, Path assets) {
        for (Project.RenderedSegment r : c.rendered()) {
            if (!r.hash().equals(hash)) continue;
            Project.Take t = r.chosen();
            return t != null && Files.isRegularFile(assets.resolve(t.file())) ? t : null;
        }
        return null;
    }

    /**
     * Stores a new take as the studio does (takes/HASH-ID.wav, with the take checks' verdict) and records it: the
     * project file is saved at once, or the {@link TakeStore} gets it.
     */
    private Project storeTake(Project p, String chapterId, SegmentPlan.Planned seg, AudioClip clip, Path assets, BackendInfo b) throws IOException {
        String id = Project.newId();
        Path rel = Path.of("takes", seg.hash() + "-" + id + ".wav");
        new AudioExporter(AUDIO).export(clip, assets.resolve(rel), AudioExporter.Format.WAV16);
        String qa = new TakeQa().check(0, new TakeQa.Take(clip, seg.request().text())).reason();
        Project.Take take = new Project.Take(id, rel.toString(), clip.seconds(), seg.request().seed(), Instant.now().toString(), b.modelName(), qa);
        List<Project.Chapter> chapters = new ArrayList<>();
        for (Project.Chapter c : p.chapters()) {
            if (!c.id().equals(chapterId)) {
                chapters.add(c);
                continue;
            }
            List<Project.RenderedSegment> rs = new ArrayList<>();
            boolean found = false;
            for (Project.RenderedSegment r : c.rendered()) {
                if (r.hash().equals(seg.hash())) {
                    List<Project.Take> takes = new ArrayList<>(r.takes());
                    takes.add(take);
                    rs.add(new Project.RenderedSegment(r.hash(), takes, take.id()));
                    found = true;
                } else {
                    rs.add(r);
                }
            }
            if (!found) rs.add(new Project.RenderedSegment(seg.hash(), List.of(take), take.id()));
            chapters.add(new Project.Chapter(c.id(), c.title(), c.scene(), c.script(), rs));
        }
        Project q = p.withChapters(chapters);
        if (store == null) ProjectStore.save(q, projectFile);
        else store.stored(chapterId, seg.hash(), take);
        return q;
    }

    private static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static float[] join(List<float[]> parts, long total) {
        if (total > Integer.MAX_VALUE) throw new IllegalStateException("a chapter longer than " + Integer.MAX_VALUE / NarrationService.RATE / 3600 + " hours: split it");
        float[] all = new float[(int) total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static State readState(Path f) {
        if (!Files.isRegularFile(f)) return new State(new LinkedHashMap<>(), null, null);
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            State s = GSON.fromJson(r, State.class);
            if (s != null && s.chapters() != null) return new State(new LinkedHashMap<>(s.chapters()), s.bookKey(), s.readAlongKey());
        } catch (IOException | JsonParseException e) {
            // a damaged state only costs re-writing the chapter files (the takes are in the project)
        }
        return new State(new LinkedHashMap<>(), null, null);
    }

    private static void writeState(Path f, State s) throws IOException {
        AtomicFiles.writeString(f, GSON.toJson(s));
    }

    static String key(List<String> parts, String... more) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String p : parts) d.update((String.valueOf(p) + "\u0000").getBytes(StandardCharsets.UTF_8));
            for (String p : more) d.update((String.valueOf(p) + "\u0001").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A title as a file name on every desktop system. */
    static String safeName(String title) {
        String s = title.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").replaceAll("\\s+", " ").strip();
        while (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        if (s.isEmpty()) s = "untitled";
        return s.length() > 80 ? s.substring(0, 80).strip() : s;
    }

    static String baseName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(Project.EXTENSION) ? n.substring(0, n.length() - Project.EXTENSION.length()) : n;
    }
}
