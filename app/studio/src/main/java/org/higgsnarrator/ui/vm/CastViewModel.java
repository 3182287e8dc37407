package org.higgsnarrator.ui.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.Speaker;
import org.higgsnarrator.project.Project.Voice;
import org.higgsnarrator.project.Project.VoiceKind;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.script.ScriptParser;
import org.higgsnarrator.ui.script.Segment;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.PreparedVoice;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderRequest;
import org.higgsnarrator.ui.service.RenderRequest.VoiceRef;

/**
 * The cast (speakers in {@code [SPEAKERn]} order, each with the voice it reads with) and the project's voice
 * library: cloning a voice from a dropped recording, describing one in words, previews.
 */
public final class CastViewModel implements ProjectViewModel.Part {
    public static final Set<String> AUDIO_EXTENSIONS = Set.of("wav", "mp3", "flac");
    /** Sentence spoken by a voice preview. */
    public static final String PREVIEW_TEXT = "Hello! This is how I sound when I read your story aloud.";

    private final ObservableList<SpeakerViewModel> speakers = FXCollections.observableArrayList(SpeakerViewModel::observables);
    private final ObservableList<SpeakerViewModel> speakersView = FXCollections.unmodifiableObservableList(speakers);
    private final ObservableList<VoiceViewModel> voices = FXCollections.observableArrayList(VoiceViewModel::observables);
    private final ObservableList<VoiceViewModel> voicesView = FXCollections.unmodifiableObservableList(voices);
    private final ReadOnlyObjectWrapper<SpeakerViewModel> selectedSpeaker = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<VoiceViewModel> selectedVoice = new ReadOnlyObjectWrapper<>();
    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final StatusViewModel status;
    private final ProjectViewModel project;
    private final PlayerViewModel player;

    /** Adds "Voice N", a described voice with a starting profile, and selects it. */
    public final Command describeVoiceCommand;
    public final Command removeSpeakerCommand;
    public final Command removeVoiceCommand;
    /** Renders {@link #PREVIEW_TEXT} with the selected voice. */
    public final Command previewVoiceCommand;
    /** Adds speakers for new {@code Name:} prefixes of the selected chapter. */
    public final Command syncSpeakersCommand;

    CastViewModel(NarrationService service, BackgroundExecutor exec, StatusViewModel status, ProjectViewModel project, PlayerViewModel player) {
        this.service = service;
        this.exec = exec;
        this.status = status;
        this.project = project;
        this.player = player;
        speakers.addListener((ListChangeListener<SpeakerViewModel>) c -> project.markDirty());
        voices.addListener((ListChangeListener<VoiceViewModel>) c -> project.markDirty());
        describeVoiceCommand = new Command(() -> addDescribedVoice("Voice " + (voices.size() + 1), VoiceProfile.MALE_EN), project.projectOpenProperty());
        removeSpeakerCommand = new Command(() -> removeSpeaker(selectedSpeaker.get()), selectedSpeaker.isNotNull());
        removeVoiceCommand = new Command(() -> removeVoice(selectedVoice.get()), selectedVoice.isNotNull());
        previewVoiceCommand = new Command(() -> previewVoiceRender(selectedVoice.get()), selectedVoice.isNotNull());
        syncSpeakersCommand = new Command(this::syncSpeakers);
        project.addPart(this);
    }

    public ObservableList<SpeakerViewModel> speakers() {
        return speakersView;
    }

    public ObservableList<VoiceViewModel> voices() {
        return voicesView;
    }

    /** The speaker the cast list has selected (its voice is edited, it can be removed). */
    public ReadOnlyObjectProperty<SpeakerViewModel> selectedSpeakerProperty() {
        return selectedSpeaker.getReadOnlyProperty();
    }

    /** The library voice whose details are shown. */
    public ReadOnlyObjectProperty<VoiceViewModel> selectedVoiceProperty() {
        return selectedVoice.getReadOnlyProperty();
    }

    public VoiceViewModel selectedVoice() {
        return selectedVoice.get();
    }

    // ---------------------------------------------------------------- project part

    @Override
    public void load(Project p) {
        voices.setAll(p.voices().stream().map(VoiceViewModel::new).toList());
        List<SpeakerViewModel> sp = new ArrayList<>();
        for (Speaker s : p.speakers()) {
            SpeakerViewModel vm = new SpeakerViewModel(s.id(), s.name());
            vm.setVoice(voiceById(s.voiceId()));
            sp.add(vm);
        }
        speakers.setAll(sp);
        selectedSpeaker.set(null);
        selectedVoice.set(null);
    }

    @Override
    public Project addTo(Project p) {
        return new Project(p.formatVersion(), p.title(), speakers.stream().map(SpeakerViewModel::toSpeaker).toList(),
                voices.stream().map(VoiceViewModel::toVoice).toList(), p.chapters(), p.settings(), p.book(), p.lexicon());
    }

    // ---------------------------------------------------------------- speakers

    public SpeakerViewModel addSpeaker(String name) {
        if (name == null || name.isBlank()) return null;
        SpeakerViewModel s = new SpeakerViewModel(Project.newId(), name.strip());
        speakers.add(s);
        return s;
    }

    public void removeSpeaker(SpeakerViewModel s) {
        if (speakers.size() <= 1) {
            status.error("A project keeps at least one speaker (the narrator).");
            return;
        }
        speakers.remove(s);
        if (selectedSpeaker.get() == s) selectedSpeaker.set(null);
    }

    public void selectSpeaker(SpeakerViewModel s) {
        selectedSpeaker.set(s != null && speakers.contains(s) ? s : null);
    }

    /** Gives a speaker a voice of the library (null: the model chooses). */
    public void assignVoice(SpeakerViewModel s, VoiceViewModel v) {
        if (s != null && s.voice() != v) s.setVoice(v);
    }

    /** Adds speakers for {@code Name:} prefixes in the selected chapter's script that are not in the cast yet. */
    public List<SpeakerViewModel> syncSpeakers() {
        ChapterViewModel c = project.selectedChapter();
        List<SpeakerViewModel> added = new ArrayList<>();
        if (c == null) return added;
        Set<String> names = new LinkedHashSet<>();
        for (Segment s : ScriptParser.parse(c.script.get())) if (s.speakerName() != null) names.add(s.speakerName());
        for (String n : names) if (speakerByName(n) == null) added.add(addSpeaker(n));
        return added;
    }

    public SpeakerViewModel speakerByName(String name) {
        for (SpeakerViewModel s : speakers) if (s.name().equalsIgnoreCase(name.strip())) return s;
        return null;
    }

    public List<String> speakerNames() {
        return speakers.stream().map(SpeakerViewModel::name).toList();
    }

    private VoiceViewModel voiceById(String id) {
        if (id == null) return null;
        for (VoiceViewModel v : voices) if (v.id.equals(id)) return v;
        return null;
    }

    // ---------------------------------------------------------------- voices

    public VoiceViewModel addDescribedVoice(String name, String description) {
        VoiceViewModel v = new VoiceViewModel(Voice.described(name, description));
        voices.add(v);
        selectedVoice.set(v);
        return v;
    }

    public void removeVoice(VoiceViewModel v) {
        for (SpeakerViewModel s : speakers) if (s.voice() == v) s.setVoice(null);
        voices.remove(v);
        if (selectedVoice.get() == v) selectedVoice.set(null);
    }

    /** Shows a voice's details; a cloned one's clip is loaded into the player to listen to. */
    public void selectVoice(VoiceViewModel v) {
        if (v != null && !voices.contains(v)) return;
        if (v != selectedVoice.get()) selectedVoice.set(v);
        if (v != null && v.isCloned()) previewVoice(v);
    }

    /**
     * Files dropped on a speaker (or on the library when {@code target} is null): the first audio file is prepared
     * by the service into the project's voices folder, added to the library, assigned to the speaker, and selected
     * so the author types the transcript. The same path a real drag-and-drop and "Clone from file…" take.
     */
    public void dropAudioFiles(List<Path> files, SpeakerViewModel target) {
        if (project.projectFile() == null) {
            status.error("Create or open a project first (Ctrl+N / Ctrl+O); voices are stored with it.");
            return;
        }
        Path file = files.stream().filter(CastViewModel::isAudioFile).findFirst().orElse(null);
        if (file == null) {
            status.error("Drop a WAV, MP3 or FLAC file to clone a voice (got: " + files.stream().map(p -> p.getFileName().toString()).toList() + ").");
            return;
        }
        Path assets = project.assetsDir();
        Path cache = assets.resolve("voices");
        status.busy(true);
        status.info("Preparing voice from " + file.getFileName() + "…");
        record Prepared(PreparedVoice voice, AudioClip preview) {}
        exec.submit(() -> {
            Files.createDirectories(cache);
            PreparedVoice pv = service.prepareVoice(file, cache);
            return new Prepared(pv, service.readAudio(pv.clip()));
        }, r -> {
            status.busy(false);
            PreparedVoice pv = r.voice();
            String transcript = sidecarTranscript(file);
            String name = ProjectViewModel.baseName(file);
            Voice v = new Voice(Project.newId(), name, VoiceKind.CLONED, "", assets.relativize(pv.clip()).toString(),
                    transcript, file.toAbsolutePath().toString(), pv.seconds(), pv.cacheKey(), pv.warnings());
            VoiceViewModel vm = new VoiceViewModel(v);
            voices.add(vm);
            if (target != null) target.setVoice(vm);
            selectedVoice.set(vm);
            player.load("Voice: " + name, r.preview(), List.of(), null);
            String w = pv.warnings().isEmpty() ? "" : " (" + String.join("; ", pv.warnings()) + ")";
            if (transcript.isBlank()) {
                status.info(String.format("Voice '%s' ready, %.1f s%s. Now type its transcript — exactly what is said in the clip.", name, pv.seconds(), w));
            } else {
                status.info(String.format("Voice '%s' ready, %.1f s%s; transcript taken from %s.txt.", name, pv.seconds(), w, name));
            }
        }, e -> {
            status.busy(false);
            status.error("Could not use " + file.getFileName() + " as a voice: " + StatusViewModel.message(e));
        });
    }

    public static boolean isAudioFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot >= 0 && AUDIO_EXTENSIONS.contains(n.substring(dot + 1)) && Files.isRegularFile(p);
    }

    /** A transcript next to the clip ({@code clip.txt}) is taken as its transcript. */
    private static String sidecarTranscript(Path clip) {
        Path t = clip.resolveSibling(ProjectViewModel.baseName(clip) + ".txt");
        try {
            return Files.isRegularFile(t) ? Files.readString(t).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Loads a library voice's clip into the player. */
    public void previewVoice(VoiceViewModel v) {
        if (v == null || !v.isCloned() || project.assetsDir() == null) return;
        Path clip = project.assetsDir().resolve(v.clip);
        exec.submit(() -> service.readAudio(clip), a -> player.load("Voice: " + v.name.get(), a, List.of(), null),
                e -> status.error("Cannot play " + clip + ": " + StatusViewModel.message(e)));
    }

    /**
     * Renders a short sentence with a library voice (with the selected chapter's scene) and loads it into the
     * player; nothing is stored in the project.
     */
    public void previewVoiceRender(VoiceViewModel v) {
        if (v == null || !project.checkCanRender()) return;
        if (v.problem() != null) {
            status.error(v.problem());
            return;
        }
        ChapterViewModel c = project.selectedChapter();
        var settings = project.settings();
        RenderRequest req = new RenderRequest(PREVIEW_TEXT, voiceRef(v), c == null ? "" : c.scene.get(), settings, settings.seed());
        status.busy(true);
        status.info("Rendering a preview of '" + v.name.get() + "'…");
        exec.submit(() -> service.render(req, RenderListener.IGNORE).await(), a -> {
            status.busy(false);
            player.load("Preview: " + v.name.get(), a, List.of(), null);
            status.info(String.format("Preview of '%s' ready (%.1f s) — press F8 to play.", v.name.get(), a.seconds()));
        }, e -> {
            status.busy(false);
            status.error("Preview failed: " + StatusViewModel.message(e));
        });
    }

    /** The narrator's lexicon in the selected chapter (project, that chapter's and the first speaker's voice rules). */
    private org.higgsnarrator.lexicon.Lexicon narratorLexicon(List<org.higgsnarrator.lexicon.LexiconRule> rules) {
        ChapterViewModel c = project.selectedChapter();
        SpeakerViewModel sp = speakers.isEmpty() ? null : speakers.getFirst();
        VoiceViewModel v = sp == null ? null : sp.voice();
        return org.higgsnarrator.render.SegmentPlan.lexicon(rules, c == null ? "" : c.id, c == null ? "" : c.title.get(),
                sp == null ? "" : sp.name(), v == null ? null : v.name.get());
    }

    /** What the model reads for {@code text} with these rules, as the narrator in the selected chapter (Lexicon panel). */
    public String spokenWith(List<org.higgsnarrator.lexicon.LexiconRule> rules, String text) {
        if (text == null || text.isBlank()) return "";
        return narratorLexicon(rules).apply(org.higgsnarrator.text.TextNormalizer.normalize(text.strip()));
    }

    /** "Try it": renders {@code text} with these rules in the narrator's voice into the player; nothing is stored. */
    public void tryPronunciation(List<org.higgsnarrator.lexicon.LexiconRule> rules, String text) {
        if (text == null || text.isBlank() || !project.checkCanRender()) return;
        SpeakerViewModel sp = speakers.isEmpty() ? null : speakers.getFirst();
        VoiceViewModel v = sp == null ? null : sp.voice();
        if (v != null && v.problem() != null) {
            status.error(v.problem());
            return;
        }
        ChapterViewModel c = project.selectedChapter();
        var settings = project.settings();
        RenderRequest req = new RenderRequest(text.strip(), voiceRef(v), c == null ? "" : c.scene.get(), settings, settings.seed(), narratorLexicon(rules));
        status.busy(true);
        status.info("Rendering '" + text.strip() + "' as '" + spokenWith(rules, text) + "'…");
        exec.submit(() -> service.render(req, RenderListener.IGNORE).await(), a -> {
            status.busy(false);
            player.load("Try: " + text.strip(), a, List.of(), null);
            status.info(String.format("'%s' rendered (%.1f s) — press F8 to play.", text.strip(), a.seconds()));
        }, e -> {
            status.busy(false);
            status.error("Try it failed: " + StatusViewModel.message(e));
        });
    }

    /** How a render asks for this voice (null: the model chooses). */
    VoiceRef voiceRef(VoiceViewModel v) {
        if (v == null) return new VoiceRef.ModelChoice();
        Path assets = project.assetsDir();
        if (v.isCloned()) return new VoiceRef.Cloned(assets == null ? Path.of(v.clip) : assets.resolve(v.clip), v.cacheKey, v.transcript.get());
        return new VoiceRef.Described(v.description.get());
    }
}
