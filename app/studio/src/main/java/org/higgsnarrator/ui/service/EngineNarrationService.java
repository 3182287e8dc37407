package org.higgsnarrator.ui.service;

import org.higgsnarrator.ui.audio.AudioPlayer;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.audio.AudioClip;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.audio.AudioOptions;
import org.higgsnarrator.audio.ComplianceReport;
import org.higgsnarrator.audio.Ffmpeg;
import org.higgsnarrator.audio.Loudness;
import org.higgsnarrator.audio.LoudnessMeter;
import org.higgsnarrator.audio.MasteringPreset;
import org.higgsnarrator.audio.PreparedClip;
import org.higgsnarrator.audio.ReferenceClipPreparer;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.engine.SynthesisJob;
import org.higgsnarrator.engine.SynthesisListener;
import org.higgsnarrator.engine.SynthesisRequest;
import org.higgsnarrator.engine.Voice;
import org.higgsnarrator.pkg.PackageManifest;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.runtime.RuntimeOptions;

/**
 * The studio's door to the real engine (contract: docs/studio.md, "Adapter"): model packages are loaded as a
 * {@link Narrator}, reference clips are prepared by the audio module and encoded once by the package's codec (the
 * codes cached beside the prepared WAV), each segment is one {@link SynthesisJob}, export goes through
 * {@link AudioExporter} with an ACX/podcast loudness check in the report. Registered in
 * {@code META-INF/services}, so {@link NarrationServices#create()} picks it over {@link BasicNarrationService}.
 */
public class EngineNarrationService extends BasicNarrationService {
    private static final Gson GSON = new Gson();
    private static final AudioOptions AUDIO = AudioOptions.DEFAULTS;

    private volatile Narrator narrator;
    /** Identifies the loaded codec in code cache file names: codes of one codec mean nothing to another. */
    private volatile String codecId;
    private volatile BackendInfo backend = BackendInfo.nothingLoaded("No model package loaded — choose one in Settings.");

    @Override
    public BackendInfo backend() {
        return backend;
    }

    @Override
    public synchronized BackendInfo loadModel(ModelChoice choice) throws IOException {
        Path dir = choice.packageDir();
        PackageManifest m = readManifest(dir); // unreadable package: IOException naming the file and the fix
        closeNarrator();
        backend = BackendInfo.nothingLoaded("Loading " + dir + "…");
        RuntimeOptions opts = RuntimeOptions.defaults().withDevice(choice.device()).withThreads(choice.threads());
        try {
            Narrator n = NarratorLoader.load(dir, opts);
            if (n.sampleRate() != NarrationService.RATE) {
                n.close();
                throw new IllegalStateException("its codec produces " + n.sampleRate() + " Hz audio; the studio works at " + NarrationService.RATE + " Hz");
            }
            Narrator.Info info = n.info();
            narrator = n;
            codecId = codecId(m);
            backend = new BackendInfo(m.name(), dir, info.randomWeights() || m.randomWeights(), m.precision(), info.device(),
                    info.reason(), choice.threads(), true, null, m.samplingDefaults());
        } catch (RuntimeException e) {
            // The manifest is fine but the engine cannot open the package (missing graphs, codec, CUDA asked for but
            // unusable…): describe the package and say why it cannot render rather than failing the whole load.
            String why = "the engine could not open " + dir + ": " + message(e);
            backend = new BackendInfo(m.name(), dir, m.randomWeights(), m.precision(), null, why, choice.threads(), false, why, m.samplingDefaults());
        }
        return backend;
    }

    /** Short key of the package's codec encoder (its files' sha256 from the manifest), else the package name. */
    static String codecId(PackageManifest m) {
        StringBuilder sb = new StringBuilder();
        PackageManifest.GraphSpec g = m.graphs() == null ? null : m.graphs().get(org.higgsnarrator.pkg.GraphIo.Role.CODEC_ENCODER.id());
        if (g != null && m.files() != null) {
            List<String> files = new ArrayList<>();
            files.add(g.file());
            if (g.externalData() != null) files.addAll(g.externalData());
            for (String f : files) {
                PackageManifest.FileEntry e = m.files().get(f);
                if (e != null && e.sha256() != null) sb.append(e.sha256());
            }
        }
        if (sb.isEmpty()) sb.append(m.name()).append('/').append(m.precision());
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    @Override
    public AudioClip readAudio(Path file) throws IOException {
        return BasicNarrationService.decode(file, new ArrayList<>());
    }

    @Override
    public PreparedVoice prepareVoice(Path source, Path cacheDir) throws IOException {
        PreparedClip p = new ReferenceClipPreparer(AUDIO).prepare(source);
        float[] y = p.clip().samples();
        List<String> warnings = new ArrayList<>();
        if (p.sourceSampleRate() != NarrationService.RATE) warnings.add("resampled " + p.sourceSampleRate() + " Hz → 24000 Hz");
        if (p.sourceChannels() > 1) warnings.add("mixed " + p.sourceChannels() + " channels to mono");
        double trimmed = p.trimmedHeadSeconds() + p.trimmedTailSeconds();
        if (trimmed >= 0.05) warnings.add(String.format(Locale.ROOT, "trimmed %.1f s of silence", trimmed));
        warnings.addAll(p.warnings());
        String key = sha256(AudioPlayer.pcm16(y)).substring(0, 16);
        Path clip = cacheDir.resolve(key + ".wav");
        if (!Files.exists(clip)) new AudioExporter().export(new AudioClip(y, RATE), clip, AudioExporter.Format.WAV16);
        boolean encoded = narrator != null && codes(clip, key) != null;
        return new PreparedVoice(clip, key, p.clip().seconds(), encoded, warnings);
    }

    /** The cached codes file of a prepared clip for the loaded codec: {@code <key>.codes-<codec>.json} beside it. */
    private Path codesFile(Path clip, String key) {
        return clip.resolveSibling(key + ".codes-" + codecId + ".json");
    }

    /** Stored form of a clip's codes. @param codes [K][F] codec codes, no BOS/EOS framing */
    record CachedCodes(int formatVersion, String codec, int[][] codes) {}

    /** The clip's codes: from the cache, else encoded now (once) and cached. Null when no model is loaded. */
    private int[][] codes(Path clip, String key) throws IOException {
        Narrator n = narrator;
        if (n == null) return null;
        Path f = codesFile(clip, key);
        int k = n.config().numCodebooks();
        if (Files.isRegularFile(f)) {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                CachedCodes c = GSON.fromJson(r, CachedCodes.class);
                if (c != null && c.codes() != null && c.codes().length == k && codecId.equals(c.codec())) return c.codes();
            } catch (JsonParseException e) {
                // a damaged cache entry is re-encoded below and replaced
            }
        }
        // Voice.cloned insists on a transcript; only the codes are kept here, the real transcript comes with each render.
        int[][] codes = n.cloneVoice("reference", clip, "(codes only)").referenceCodes();
        org.higgsnarrator.io.AtomicFiles.writeString(f, GSON.toJson(new CachedCodes(1, codecId, codes)));
        return codes;
    }

    @Override
    public RenderTask render(RenderRequest r, RenderListener l) {
        BackendInfo b = backend;
        Narrator n = narrator;
        if (!b.canRender() || n == null) throw new IllegalStateException(b.cannotRenderReason() == null ? "no model loaded" : b.cannotRenderReason());
        GenerationOptions options = options(r.settings(), r.seed());
        return new RenderTask() {
            private volatile SynthesisJob job;
            private volatile boolean cancelled;

            @Override
            public void cancel() {
                cancelled = true;
                SynthesisJob j = job;
                if (j != null) j.cancel();
            }

            @Override
            public AudioClip await() throws Exception {
                if (cancelled) throw new CancellationException("render cancelled");
                Map<String, Voice> voices = switch (r.voice()) {
                    case RenderRequest.VoiceRef.Cloned c -> {
                        int[][] codes = codes(c.clip(), c.cacheKey());
                        yield Map.of(Voice.NARRATOR, Voice.cloned(Voice.NARRATOR, codes, c.transcript()));
                    }
                    case RenderRequest.VoiceRef.Described d -> Map.of(Voice.NARRATOR, Voice.described(Voice.NARRATOR, d.description()));
                    case RenderRequest.VoiceRef.ModelChoice m -> Map.of();
                };
                String scene = r.scene() == null ? "" : r.scene().strip();
                // The segment is one turn of one speaker: lines are joined so that nothing in it reads as a new turn.
                String text = r.text().replaceAll("\\s*\\n\\s*", " ").strip();
                SynthesisJob j = n.newJob(new SynthesisRequest(text, voices, scene.isEmpty() ? List.of() : List.of(scene), options));
                job = j;
                if (cancelled) j.cancel();
                var result = j.run(new SynthesisListener() {
                    @Override
                    public void onAudio(float[] samples, int sampleRate) {
                        l.onAudio(samples); // 24 kHz: checked when the model was loaded
                    }

                    @Override
                    public void onProgress(Progress p) {
                        l.onProgress((int) p.frames(), options.maxFrames());
                    }
                });
                return new AudioClip(result.pcm(), NarrationService.RATE);
            }
        };
    }

    /** The project's settings as engine options, unchanged (the engine already accepted them when they were made). */
    static GenerationOptions options(GenerationSettings s, long seed) {
        return s.toOptions(seed);
    }

    @Override
    public List<ExportFormat> exportFormats() {
        List<ExportFormat> f = new ArrayList<>(List.of(ExportFormat.WAV, ExportFormat.FLAC, ExportFormat.MP3));
        if (Ffmpeg.find().isPresent()) f.add(ExportFormat.M4B);
        return List.copyOf(f);
    }

    @Override
    public ExportReport exportAudio(ExportRequest q) throws IOException {
        if (q.chapters().isEmpty()) throw new IOException("nothing to export: no chapters chosen");
        AudioExporter.Format format = switch (q.format()) {
            case WAV -> AudioExporter.Format.WAV16;
            case FLAC -> AudioExporter.Format.FLAC;
            case MP3 -> AudioExporter.Format.MP3;
            case M4B -> AudioExporter.Format.M4B;
        };
        List<AudioClip> clips = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (ExportRequest.ChapterAudio c : q.chapters()) {
            clips.add(new AudioClip(c.audio().samples(), c.audio().sampleRate()));
            titles.add(c.title());
        }
        new AudioExporter(AUDIO).exportBook(clips, titles, q.target(), format, q.title());
        int n = 0;
        for (var c : clips) n += c.samples().length;
        float[] all = new float[n];
        int at = 0;
        for (var c : clips) {
            System.arraycopy(c.samples(), 0, all, at, c.samples().length);
            at += c.samples().length;
        }
        AudioClip book = new AudioClip(all, NarrationService.RATE);
        return new ExportReport(q.target(), book.seconds(), loudnessNotes(book, q.target().getFileName().toString()));
    }

    /** The export checked against ACX (audiobooks) and the podcast loudness target, one line each. */
    static List<String> loudnessNotes(AudioClip clip, String subject) {
        if (clip.frames() == 0) return List.of("the export is empty");
        Loudness l = LoudnessMeter.measure(clip, AUDIO);
        List<String> notes = new ArrayList<>();
        for (MasteringPreset p : MasteringPreset.values()) {
            ComplianceReport r = p.check(subject, l);
            StringBuilder s = new StringBuilder(p.label()).append(": ").append(r.passed() ? "PASS" : "FAIL");
            List<String> fails = r.failures().stream()
                    .map(c -> String.format(Locale.ROOT, "%s %s %s (limit %s)", c.name(), fmt(c.measured()), c.unit(), c.limit())).toList();
            if (!fails.isEmpty()) s.append(" — ").append(String.join("; ", fails));
            notes.add(s.append('.').toString());
        }
        if (notes.stream().anyMatch(x -> x.contains("FAIL")))
            notes.add("'./narrator master' brings a file to ACX or podcast levels.");
        return notes;
    }

    private static String fmt(double v) {
        return Double.isInfinite(v) ? (v < 0 ? "-inf" : "+inf") : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private void closeNarrator() {
        Narrator n = narrator;
        narrator = null;
        if (n != null) n.close();
    }

    @Override
    public synchronized void close() {
        closeNarrator();
        backend = BackendInfo.nothingLoaded("closed");
    }
}
