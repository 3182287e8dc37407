package org.higgsnarrator.ui.vm;

import org.higgsnarrator.audio.AudioExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableList;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.Chapter;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.project.Project.RenderedSegment;
import org.higgsnarrator.project.Project.Speaker;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.project.Project.Voice;
import org.higgsnarrator.project.Project.VoiceKind;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.script.Segment;
import org.higgsnarrator.ui.script.ScriptParser;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.ExportFormat;
import org.higgsnarrator.ui.service.ExportReport;
import org.higgsnarrator.ui.service.ExportRequest;
import org.higgsnarrator.ui.service.ModelChoice;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.PreparedVoice;
import org.higgsnarrator.ui.service.RenderRequest;
import org.higgsnarrator.ui.service.RenderRequest.VoiceRef;

/**
 * The studio's state: the open project (chapters, cast, voice library, settings), the render queue, the player,
 * the model backend and the status line. Everything slow goes through the {@link BackgroundExecutor}; everything
 * observable is a JavaFX property changed on the UI thread.
 */
public final class StudioViewModel implements AutoCloseable {
    public static final Set<String> AUDIO_EXTENSIONS = Set.of("wav", "mp3", "flac");

    public final ObjectProperty<Path> projectFile = new SimpleObjectProperty<>();
    public final StringProperty title = new SimpleStringProperty("");
    public final ObservableList<ChapterViewModel> chapters = FXCollections.observableArrayList();
    public final ObjectProperty<ChapterViewModel> selectedChapter = new SimpleObjectProperty<>();
    public final ObservableList<SpeakerViewModel> speakers = FXCollections.observableArrayList();
    public final ObservableList<VoiceViewModel> voices = FXCollections.observableArrayList();
    public final ObjectProperty<VoiceViewModel> selectedVoice = new SimpleObjectProperty<>();
    public final ObjectProperty<GenerationSettings> settings = new SimpleObjectProperty<>(GenerationSettings.defaults());
    public final BooleanProperty dirty = new SimpleBooleanProperty(false);
    public final StringProperty status = new SimpleStringProperty("Create a project (Ctrl+N) or open one (Ctrl+O).");
    public final BooleanProperty statusIsError = new SimpleBooleanProperty(false);
    public final BooleanProperty busy = new SimpleBooleanProperty(false);
    public final ObjectProperty<BackendInfo> backend = new SimpleObjectProperty<>();
    public final ObjectProperty<AppSettings> appSettings = new SimpleObjectProperty<>();
    public final ObservableList<Path> recentProjects = FXCollections.observableArrayList();
    public final BooleanBinding projectOpen = projectFile.isNotNull();
    public final StringBinding windowTitle;
    public final RenderQueueViewModel queue;
    public final PlayerViewModel player = new PlayerViewModel();

    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final Path settingsFile;
    private boolean loading;
    /** What the studio does not edit but must keep when it saves (book metadata of an imported book). */
    private Project.BookInfo book = Project.BookInfo.NONE;
    private final ChangeListener<Object> markDirty = (o, a, b) -> markDirty();

    public StudioViewModel(NarrationService service, BackgroundExecutor exec, Path settingsFile, LongSupplier nanoClock) {
        this.service = service;
        this.exec = exec;
        this.settingsFile = settingsFile;
        this.backend.set(service.backend());
        this.queue = new RenderQueueViewModel(service, exec, nanoClock, new TakeSink());
        AppSettings s = AppSettings.load(settingsFile);
        appSettings.set(s);
        for (String r : s.recent()) recentProjects.add(Path.of(r));
        windowTitle = Bindings.createStringBinding(() -> (dirty.get() ? "• " : "")
                        + (projectFile.get() == null ? "" : (title.get().isBlank() ? projectFile.get().getFileName().toString() : title.get()) + " — ")
                        + "Higgs Narrator Studio", dirty, projectFile, title);
        title.addListener(markDirty);
        settings.addListener(markDirty);
        settings.addListener((o, a, b) -> refreshAllSegments());
        backend.addListener((o, a, b) -> refreshAllSegments());
        chapters.addListener((ListChangeListener<ChapterViewModel>) c -> markDirty());
        speakers.addListener((ListChangeListener<SpeakerViewModel>) c -> {
            markDirty();
            refreshAllSegments();
        });
        voices.addListener((ListChangeListener<VoiceViewModel>) c -> markDirty());
        selectedChapter.addListener((o, a, b) -> {
            if (b != null) refreshSegments(b);
        });
    }

    // ---------------------------------------------------------------- project lifecycle

    /** Creates a project file (and its assets folder) and opens it. */
    public void newProject(Path file, String bookTitle) {
        Path f = ProjectStore.withExtension(file).toAbsolutePath();
        try {
            Project p = Project.create(bookTitle == null || bookTitle.isBlank() ? baseName(f) : bookTitle);
            ProjectStore.save(p, f);
            Files.createDirectories(ProjectStore.assetsDir(f));
            show(p, f);
            info("Created " + f.getFileName() + ". Type the script; start a line with 'Name:' or [SPEAKER1] for other speakers.");
        } catch (IOException e) {
            error("Could not create " + f + ": " + e.getMessage());
        }
    }

    public void open(Path file) {
        Path f = file.toAbsolutePath();
        try {
            show(ProjectStore.load(f), f);
            info("Opened " + f.getFileName());
        } catch (IOException e) {
            error("Could not open project: " + e.getMessage());
        }
    }

    private void show(Project p, Path file) {
        loading = true;
        try {
            queue.cancelAll();
            queue.clearFinished();
            voices.setAll(p.voices().stream().map(VoiceViewModel::new).toList());
            for (VoiceViewModel v : voices) watchVoice(v);
            List<SpeakerViewModel> sp = new ArrayList<>();
            for (Speaker s : p.speakers()) {
                SpeakerViewModel vm = new SpeakerViewModel(s.id(), s.name());
                vm.voice.set(voiceById(s.voiceId()));
                sp.add(vm);
            }
            for (SpeakerViewModel s : sp) watchSpeaker(s);
            speakers.setAll(sp);
            List<ChapterViewModel> ch = p.chapters().stream().map(ChapterViewModel::new).toList();
            for (ChapterViewModel c : ch) watchChapter(c);
            chapters.setAll(ch);
            title.set(p.title());
            settings.set(p.settings());
            book = p.book();
            projectFile.set(file);
            selectedChapter.set(chapters.isEmpty() ? null : chapters.getFirst());
            selectedVoice.set(null);
            player.load("Nothing loaded", null, List.of(), null);
            refreshAllSegments();
        } finally {
            loading = false;
        }
        dirty.set(false);
        rememberRecent(file);
    }

    /** The project as it is now (what save writes). */
    public Project toProject() {
        return new Project(Project.FORMAT_VERSION, title.get(),
                speakers.stream().map(SpeakerViewModel::toSpeaker).toList(),
                voices.stream().map(VoiceViewModel::toVoice).toList(),
                chapters.stream().map(ChapterViewModel::toChapter).toList(),
                settings.get(), book);
    }

    /** Saves now (on the caller's thread: the JSON is small and the write atomic). */
    public boolean save() {
        Path f = projectFile.get();
        if (f == null) return false;
        try {
            ProjectStore.save(toProject(), f);
            dirty.set(false);
            info("Saved " + f.getFileName());
            return true;
        } catch (IOException e) {
            error("Could not save " + f + ": " + e.getMessage());
            return false;
        }
    }

    /** Saves under a new name; the assets folder is copied along so voices and takes stay with the project. */
    public void saveAs(Path file) {
        Path f = ProjectStore.withExtension(file).toAbsolutePath();
        Path old = projectFile.get();
        try {
            if (old != null && !old.equals(f)) copyTree(ProjectStore.assetsDir(old), ProjectStore.assetsDir(f));
            projectFile.set(f);
            if (save()) rememberRecent(f);
        } catch (IOException e) {
            error("Could not save as " + f + ": " + e.getMessage());
        }
    }

    /** Called periodically by the view: saves when there are unsaved changes. */
    public boolean autosave() {
        if (!dirty.get() || projectFile.get() == null) return false;
        boolean ok = save();
        if (ok) info("Autosaved " + projectFile.get().getFileName());
        return ok;
    }

    public Path assetsDir() {
        Path f = projectFile.get();
        return f == null ? null : ProjectStore.assetsDir(f);
    }

    private void rememberRecent(Path file) {
        AppSettings s = appSettings.get().withRecent(file);
        appSettings.set(s);
        recentProjects.setAll(s.recent().stream().map(Path::of).toList());
        persistSettings();
    }

    private void persistSettings() {
        try {
            appSettings.get().save(settingsFile);
        } catch (IOException e) {
            error("Could not save settings " + settingsFile + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- chapters, speakers, voices

    public ChapterViewModel addChapter() {
        ChapterViewModel c = new ChapterViewModel(new Chapter(Project.newId(), "Chapter " + (chapters.size() + 1),
                chapters.isEmpty() ? "" : chapters.getLast().scene.get(), "", List.of()));
        watchChapter(c);
        chapters.add(c);
        selectedChapter.set(c);
        return c;
    }

    public void removeChapter(ChapterViewModel c) {
        if (chapters.size() <= 1) {
            error("A project keeps at least one chapter.");
            return;
        }
        int i = chapters.indexOf(c);
        chapters.remove(c);
        selectedChapter.set(chapters.get(Math.max(0, i - 1)));
    }

    public SpeakerViewModel addSpeaker(String name) {
        SpeakerViewModel s = new SpeakerViewModel(Project.newId(), name);
        watchSpeaker(s);
        speakers.add(s);
        return s;
    }

    public void removeSpeaker(SpeakerViewModel s) {
        if (speakers.size() <= 1) {
            error("A project keeps at least one speaker (the narrator).");
            return;
        }
        speakers.remove(s);
    }

    /** Adds speakers for {@code Name:} prefixes in the selected chapter's script that are not in the cast yet. */
    public List<SpeakerViewModel> syncSpeakers() {
        ChapterViewModel c = selectedChapter.get();
        List<SpeakerViewModel> added = new ArrayList<>();
        if (c == null) return added;
        Set<String> names = new LinkedHashSet<>();
        for (Segment s : ScriptParser.parse(c.script.get())) if (s.speakerName() != null) names.add(s.speakerName());
        for (String n : names) if (speakerByName(n) == null) added.add(addSpeaker(n));
        refreshSegments(c);
        return added;
    }

    public VoiceViewModel addDescribedVoice(String name, String description) {
        VoiceViewModel v = new VoiceViewModel(Voice.described(name, description));
        watchVoice(v);
        voices.add(v);
        selectedVoice.set(v);
        return v;
    }

    public void removeVoice(VoiceViewModel v) {
        for (SpeakerViewModel s : speakers) if (s.voice.get() == v) s.voice.set(null);
        voices.remove(v);
        if (selectedVoice.get() == v) selectedVoice.set(null);
    }

    public void assignVoice(SpeakerViewModel s, VoiceViewModel v) {
        s.voice.set(v);
    }

    /**
     * A file dropped on a speaker (or on the library when {@code target} is null): prepared by the service into
     * the project's voices folder, added to the library, assigned to the speaker, selected so the author types the
     * transcript. The same path a real drag-and-drop and the "Clone from file…" button take.
     */
    public void dropAudioFiles(List<Path> files, SpeakerViewModel target) {
        if (projectFile.get() == null) {
            error("Create or open a project first (Ctrl+N / Ctrl+O); voices are stored with it.");
            return;
        }
        Path file = files.stream().filter(StudioViewModel::isAudioFile).findFirst().orElse(null);
        if (file == null) {
            error("Drop a WAV, MP3 or FLAC file to clone a voice (got: " + files.stream().map(p -> p.getFileName().toString()).toList() + ").");
            return;
        }
        Path cache = assetsDir().resolve("voices");
        busy.set(true);
        info("Preparing voice from " + file.getFileName() + "…");
        exec.submit(() -> {
            Files.createDirectories(cache);
            PreparedVoice pv = service.prepareVoice(file, cache);
            AudioClip preview = service.readAudio(pv.clip());
            return new Object[] {pv, preview};
        }, r -> {
            busy.set(false);
            PreparedVoice pv = (PreparedVoice) r[0];
            String transcript = sidecarTranscript(file);
            String name = baseName(file);
            Voice v = new Voice(Project.newId(), name, VoiceKind.CLONED, "", assetsDir().relativize(pv.clip()).toString(),
                    transcript, file.toAbsolutePath().toString(), pv.seconds(), pv.cacheKey(), pv.warnings());
            VoiceViewModel vm = new VoiceViewModel(v);
            watchVoice(vm);
            voices.add(vm);
            if (target != null) target.voice.set(vm);
            selectedVoice.set(vm);
            player.load("Voice: " + name, (AudioClip) r[1], List.of(), null);
            String w = pv.warnings().isEmpty() ? "" : " (" + String.join("; ", pv.warnings()) + ")";
            if (transcript.isBlank()) {
                info(String.format("Voice '%s' ready, %.1f s%s. Now type its transcript — exactly what is said in the clip.", name, pv.seconds(), w));
            } else {
                info(String.format("Voice '%s' ready, %.1f s%s; transcript taken from %s.txt.", name, pv.seconds(), w, name));
            }
        }, e -> {
            busy.set(false);
            error("Could not use " + file.getFileName() + " as a voice: " + message(e));
        });
    }

    public static boolean isAudioFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot >= 0 && AUDIO_EXTENSIONS.contains(n.substring(dot + 1)) && Files.isRegularFile(p);
    }

    /** A transcript next to the clip ({@code clip.txt}) is taken as its transcript. */
    private static String sidecarTranscript(Path clip) {
        Path t = clip.resolveSibling(baseName(clip) + ".txt");
        try {
            return Files.isRegularFile(t) ? Files.readString(t).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Loads a library voice's clip into the player. */
    public void previewVoice(VoiceViewModel v) {
        if (v == null || !v.isCloned()) return;
        Path clip = assetsDir().resolve(v.clip);
        exec.submit(() -> service.readAudio(clip), a -> player.load("Voice: " + v.name.get(), a, List.of(), null),
                e -> error("Cannot play " + clip + ": " + message(e)));
    }

    /** Sentence spoken by a voice preview. */
    public static final String PREVIEW_TEXT = "Hello! This is how I sound when I read your story aloud.";

    /**
     * Renders a short sentence with a library voice (with the selected chapter's scene) and loads it into the
     * player; nothing is stored in the project.
     */
    public void previewVoiceRender(VoiceViewModel v) {
        if (v == null || !checkCanRender()) return;
        if (v.problem() != null) {
            error(v.problem());
            return;
        }
        ChapterViewModel c = selectedChapter.get();
        RenderRequest req = new RenderRequest(PREVIEW_TEXT, voiceRef(v), c == null ? "" : c.scene.get(), settings.get(), settings.get().seed());
        busy.set(true);
        info("Rendering a preview of '" + v.name.get() + "'…");
        exec.submit(() -> service.render(req, new org.higgsnarrator.ui.service.RenderListener() {
            @Override
            public void onAudio(float[] pcm) {}

            @Override
            public void onProgress(int framesDone, int maxFrames) {}
        }).await(), a -> {
            busy.set(false);
            player.load("Preview: " + v.name.get(), a, List.of(), null);
            info(String.format("Preview of '%s' ready (%.1f s) — press F8 to play.", v.name.get(), a.seconds()));
        }, e -> {
            busy.set(false);
            error("Preview failed: " + message(e));
        });
    }

    // ---------------------------------------------------------------- segments and rendering

    public void refreshAllSegments() {
        for (ChapterViewModel c : chapters) refreshSegments(c);
    }

    /** Re-parses a chapter's script and works out each segment's speaker, request, hash and takes. */
    public void refreshSegments(ChapterViewModel c) {
        List<SegmentRow> rows = new ArrayList<>();
        String model = modelId();
        for (Segment s : ScriptParser.parse(c.script.get())) {
            SpeakerViewModel sp = s.speakerName() != null ? speakerByName(s.speakerName())
                    : speakers.isEmpty() ? null : s.speakerIndex() < 0 ? speakers.getFirst()
                    : s.speakerIndex() < speakers.size() ? speakers.get(s.speakerIndex()) : null;
            String problem = null;
            RenderRequest req = null;
            String hash = null;
            if (sp == null) {
                problem = s.speakerName() != null ? "no speaker named '" + s.speakerName() + "' — add it in the Cast panel"
                        : "[SPEAKER" + s.speakerIndex() + "] but the cast has " + speakers.size() + " speaker(s)";
            } else {
                VoiceViewModel v = sp.voice.get();
                problem = v == null ? null : v.problem();
                VoiceRef ref = voiceRef(v);
                req = new RenderRequest(s.text(), ref, c.scene.get(), settings.get(), 0);
                hash = SegmentHash.of(s.text(), ref, c.scene.get(), settings.get(), model);
                req = new RenderRequest(s.text(), ref, c.scene.get(), settings.get(), seedFor(hash, 0));
            }
            rows.add(new SegmentRow(s, sp, req, hash, hash == null ? null : c.rendered.get(hash), problem));
        }
        c.segments.setAll(rows);
    }

    private VoiceRef voiceRef(VoiceViewModel v) {
        if (v == null) return new VoiceRef.ModelChoice();
        if (v.isCloned()) return new VoiceRef.Cloned(assetsDir() == null ? Path.of(v.clip) : assetsDir().resolve(v.clip), v.cacheKey, v.transcript.get());
        return new VoiceRef.Described(v.description.get());
    }

    private String modelId() {
        BackendInfo b = backend.get();
        return b == null ? "" : b.modelName() + "/" + b.precision();
    }

    /** Seed of take {@code take} of a segment: the project seed mixed with the content hash. */
    long seedFor(String hash, int take) {
        return settings.get().seed() ^ Long.parseUnsignedLong(hash.substring(0, 15), 16) + take;
    }

    /** Renders one segment of the selected chapter: a new take when {@code newTake}, else only if not rendered. */
    public void renderSegment(ChapterViewModel c, int index, boolean newTake) {
        refreshSegments(c);
        if (index < 0 || index >= c.segments.size()) return;
        if (!checkCanRender()) return;
        SegmentRow r = c.segments.get(index);
        if (r.problem() != null) {
            error("Segment " + (index + 1) + ": " + r.problem());
            return;
        }
        if (!newTake && isUpToDate(r)) {
            info("Segment " + (index + 1) + " is already rendered with this text, voice and settings.");
            return;
        }
        enqueue(c, r, r.rendered() == null ? 0 : r.rendered().takes().size());
    }

    /** Renders what changed in a chapter; unchanged segments (same hash, take on disk) are skipped. */
    public int renderChapter(ChapterViewModel c) {
        return renderChapters(List.of(c));
    }

    public int renderBook() {
        return renderChapters(List.copyOf(chapters));
    }

    private int renderChapters(List<ChapterViewModel> list) {
        if (!checkCanRender()) return 0;
        int queued = 0, upToDate = 0;
        List<String> problems = new ArrayList<>();
        for (ChapterViewModel c : list) {
            refreshSegments(c);
            // a copy: with a synchronous executor a finished render refreshes c.segments while we iterate
            for (SegmentRow r : List.copyOf(c.segments)) {
                if (r.problem() != null) {
                    problems.add(c.title.get() + " §" + (r.segment().index() + 1) + ": " + r.problem());
                } else if (isUpToDate(r) || queue.isPending(r.hash())) {
                    upToDate++;
                } else {
                    enqueue(c, r, 0);
                    queued++;
                }
            }
        }
        if (!problems.isEmpty()) error(problems.size() + " segment(s) cannot be rendered — " + problems.getFirst());
        else info(queued + " segment(s) queued, " + upToDate + " already up to date.");
        return queued;
    }

    /** Rendered with identical content and the chosen take's file is still there. */
    public boolean isUpToDate(SegmentRow r) {
        Take t = r.chosenTake();
        return t != null && assetsDir() != null && Files.isRegularFile(assetsDir().resolve(t.file()));
    }

    private boolean checkCanRender() {
        BackendInfo b = backend.get();
        if (projectFile.get() == null) {
            error("Create or open a project first.");
            return false;
        }
        if (b == null || !b.canRender()) {
            error("Cannot render: " + (b == null ? "no model loaded" : b.cannotRenderReason()));
            return false;
        }
        return true;
    }

    private void enqueue(ChapterViewModel c, SegmentRow r, int take) {
        RenderRequest req = new RenderRequest(r.request().text(), r.request().voice(), r.request().scene(), r.request().settings(), seedFor(r.hash(), take));
        String label = c.title.get() + " §" + (r.segment().index() + 1) + " · " + r.speaker().name.get();
        queue.enqueue(new RenderJob(c, r.segment().index(), r.hash(), req, label, assetsDir()));
    }

    public void chooseTake(ChapterViewModel c, String hash, String takeId) {
        RenderedSegment rs = c.rendered.get(hash);
        if (rs == null) return;
        c.rendered.put(hash, new RenderedSegment(hash, rs.takes(), takeId));
    }

    private final class TakeSink implements RenderQueueViewModel.Sink {
        @Override
        public Take store(RenderJob job, AudioClip audio) throws IOException {
            String id = Project.newId();
            Path rel = Path.of("takes", job.hash + "-" + id + ".wav");
            new AudioExporter().export(audio, job.assetsDir.resolve(rel), AudioExporter.Format.WAV16);
            BackendInfo b = backend.get();
            return new Take(id, rel.toString(), audio.seconds(), job.request.seed(), Instant.now().toString(), b == null ? "" : b.modelName());
        }

        @Override
        public void accept(RenderJob job, Take take) {
            if (!chapters.contains(job.chapter)) return; // finished after its project was closed: the file stays in its assets
            RenderedSegment old = job.chapter.rendered.get(job.hash);
            List<Take> takes = new ArrayList<>(old == null ? List.of() : old.takes());
            takes.add(take);
            job.chapter.rendered.put(job.hash, new RenderedSegment(job.hash, takes, take.id()));
        }
    }

    // ---------------------------------------------------------------- playback and export

    /** Loads a chapter's chosen takes, in script order, into the player. */
    public void loadChapterAudio(ChapterViewModel c) {
        refreshSegments(c);
        List<SegmentRow> rows = List.copyOf(c.segments);
        Path assets = assetsDir();
        exec.submit(() -> joinTakes(rows, assets), j -> {
            player.load(c.title.get() + " (" + j.spans.size() + " of " + rows.size() + " segments rendered)", j.clip, j.spans, c);
            info(j.spans.isEmpty() ? "Nothing rendered in " + c.title.get() + " yet." : "Loaded " + c.title.get() + " into the player.");
        }, e -> error("Cannot load chapter audio: " + message(e)));
    }

    private record Joined(AudioClip clip, List<PlayerViewModel.Span> spans, int missing) {}

    private Joined joinTakes(List<SegmentRow> rows, Path assets) throws IOException {
        List<float[]> parts = new ArrayList<>();
        List<PlayerViewModel.Span> spans = new ArrayList<>();
        int at = 0, missing = 0;
        int gap = NarrationService.RATE / 4; // 250 ms between segments
        for (SegmentRow r : rows) {
            Take t = r.chosenTake();
            if (t == null || !Files.isRegularFile(assets.resolve(t.file()))) {
                missing++;
                continue;
            }
            float[] s = service.readAudio(assets.resolve(t.file())).samples();
            if (at > 0) {
                parts.add(new float[gap]);
                at += gap;
            }
            parts.add(s);
            spans.add(new PlayerViewModel.Span(r.segment().index(), at, at + s.length));
            at += s.length;
        }
        float[] all = new float[at];
        int p = 0;
        for (float[] s : parts) {
            System.arraycopy(s, 0, all, p, s.length);
            p += s.length;
        }
        return new Joined(new AudioClip(all, NarrationService.RATE), spans, missing);
    }

    public List<ExportFormat> exportFormats() {
        return service.exportFormats();
    }

    /** Exports the given chapters (all rendered) to one file. */
    public void export(List<ChapterViewModel> which, ExportFormat format, Path target) {
        List<String> missing = new ArrayList<>();
        for (ChapterViewModel c : which) {
            refreshSegments(c);
            long n = c.segments.stream().filter(r -> !isUpToDate(r)).count();
            if (n > 0) missing.add(c.title.get() + " (" + n + " not rendered)");
        }
        if (!missing.isEmpty()) {
            error("Render everything before exporting: " + String.join(", ", missing));
            return;
        }
        Path assets = assetsDir();
        List<List<SegmentRow>> rows = which.stream().map(c -> List.copyOf(c.segments)).toList();
        List<String> titles = which.stream().map(c -> c.title.get()).toList();
        String book = title.get();
        busy.set(true);
        exec.submit(() -> {
            List<ExportRequest.ChapterAudio> audio = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) audio.add(new ExportRequest.ChapterAudio(titles.get(i), joinTakes(rows.get(i), assets).clip));
            return service.exportAudio(new ExportRequest(audio, book, format, target));
        }, (ExportReport rep) -> {
            busy.set(false);
            info(String.format("Exported %s (%.1f s). %s", rep.file().getFileName(), rep.seconds(), String.join(" ", rep.notes())));
        }, e -> {
            busy.set(false);
            error("Export failed: " + message(e));
        });
    }

    // ---------------------------------------------------------------- model

    /** Loads the model package of the settings (the bundled one unless another was chosen). */
    public void loadModel(ModelChoice choice) {
        busy.set(true);
        info("Loading model " + choice.packageDir() + "…");
        exec.submit(() -> service.loadModel(choice), b -> {
            busy.set(false);
            backend.set(b);
            AppSettings s = appSettings.get();
            String pkg = choice.packageDir().toAbsolutePath().normalize().equals(AppSettings.bundledModel().toAbsolutePath().normalize())
                    ? null : choice.packageDir().toString();
            appSettings.set(s.withModel(pkg, choice.device(), choice.threads()));
            persistSettings();
            if (b.randomWeights()) {
                info("Loaded '" + b.modelName() + "' on " + b.device() + ": a random-weight TEST model — it exercises the pipeline but does not speak. "
                        + "Get the real model: File → Models… (Ctrl+M). " + b.deviceReason());
            } else {
                info("Loaded '" + b.modelName() + "' on " + b.device() + ". " + b.deviceReason());
            }
        }, e -> {
            busy.set(false);
            backend.set(BackendInfo.nothingLoaded("Model not loaded: " + message(e)));
            error("Could not load model: " + message(e));
        });
    }

    /** Makes {@code dir} the studio's model (Models dialog), keeping the device, precision and threads of the settings. */
    public void useModelPackage(Path dir) {
        ModelChoice c = currentModelChoice();
        loadModel(new ModelChoice(dir, c.device(), c.threads()));
    }

    public ModelChoice currentModelChoice() {
        AppSettings s = appSettings.get();
        return new ModelChoice(s.modelPath(), s.device(), s.threads());
    }

    // ---------------------------------------------------------------- helpers

    public Set<String> speakerNames() {
        Set<String> n = new HashSet<>();
        for (SpeakerViewModel s : speakers) n.add(s.name.get());
        return n;
    }

    public SpeakerViewModel speakerByName(String name) {
        for (SpeakerViewModel s : speakers) if (s.name.get().equalsIgnoreCase(name.strip())) return s;
        return null;
    }

    private VoiceViewModel voiceById(String id) {
        if (id == null) return null;
        for (VoiceViewModel v : voices) if (v.id.equals(id)) return v;
        return null;
    }

    private void watchChapter(ChapterViewModel c) {
        c.title.addListener(markDirty);
        c.scene.addListener(markDirty);
        c.script.addListener(markDirty);
        c.scene.addListener((o, a, b) -> refreshSegments(c));
        c.script.addListener((o, a, b) -> refreshSegments(c));
        c.rendered.addListener((MapChangeListener<String, RenderedSegment>) ch -> {
            markDirty();
            refreshSegments(c);
        });
    }

    private void watchSpeaker(SpeakerViewModel s) {
        s.name.addListener(markDirty);
        s.voice.addListener(markDirty);
        s.name.addListener((o, a, b) -> refreshAllSegments());
        s.voice.addListener((o, a, b) -> refreshAllSegments());
    }

    private void watchVoice(VoiceViewModel v) {
        v.name.addListener(markDirty);
        v.description.addListener(markDirty);
        v.transcript.addListener(markDirty);
        v.description.addListener((o, a, b) -> refreshAllSegments());
        v.transcript.addListener((o, a, b) -> refreshAllSegments());
    }

    private void markDirty() {
        if (!loading) dirty.set(true);
    }

    public void info(String s) {
        statusIsError.set(false);
        status.set(s);
    }

    public void error(String s) {
        statusIsError.set(true);
        status.set(s);
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    static String baseName(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith(Project.EXTENSION)) return n.substring(0, n.length() - Project.EXTENSION.length());
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else if (!Files.exists(q)) Files.copy(p, q);
            }
        }
    }

    @Override
    public void close() {
        queue.cancelAll();
        exec.close();
        service.close();
    }
}
