package org.higgsnarrator.ui.service;

import org.higgsnarrator.audio.AudioClip;
import java.io.IOException;
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
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.engine.RenderCheckpoint;
import org.higgsnarrator.serve.RemoteRenderer;
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
    private static final AudioOptions AUDIO = AudioOptions.DEFAULTS;

    private volatile Narrator narrator;
    /** The batch {@link #renderTogether} decodes in, made at its first use for the loaded narrator; closed with it. */
    private org.higgsnarrator.decode.BatchScheduler together;
    /** The choice's, 0: the narrator's own proposal ({@link Narrator#batchSlots()}). */
    private volatile int segmentsAtOnce;
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
        segmentsAtOnce = choice.segmentsAtOnce();
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


    @Override
    public AudioClip readAudio(Path file) throws IOException {
        return BasicNarrationService.decode(file, new ArrayList<>());
    }

    /** The engine's preparation; with a model loaded, the engine also encodes the clip into its code cache beside it. */
    @Override
    public PreparedVoice prepareVoice(Path source, Path cacheDir) throws IOException {
        PreparedVoice p = BasicNarrationService.prepare(source, cacheDir);
        boolean encoded = codes(p.clip()) != null;
        return new PreparedVoice(p.clip(), p.cacheKey(), p.seconds(), encoded, p.warnings());
    }

    /** A prepared clip's codes from the engine (cached beside the clip by content and codec). Null when no model is loaded. */
    private int[][] codes(Path clip) {
        Narrator n = narrator;
        return n == null ? null : n.encodeReference(clip, clip.getParent());
    }

    @Override
    public RenderTask render(RenderRequest r, RenderListener l) {
        return render(r, RenderTarget.local(null), l);
    }

    @Override
    public RenderTask render(RenderRequest r, RenderTarget target, RenderListener l) {
        if (!target.isLocal()) return renderOnServer(r, target, l);
        return renderHere(r, target, l, false);
    }

    @Override
    public int segmentsAtOnce() {
        Narrator n = narrator;
        if (n == null || !n.decodesBatches()) return 1;
        // the choice's number as it is; automatic: what memory allows (the proposal may itself be 1)
        return segmentsAtOnce > 0 ? segmentsAtOnce : n.batchSlots();
    }

    @Override
    public RenderTask renderTogether(RenderRequest r, RenderTarget target, RenderListener l) {
        if (!target.isLocal()) return renderOnServer(r, target, l);
        return renderHere(r, target, l, segmentsAtOnce() > 1);
    }

    /** What the batch of {@link #renderTogether} did so far; null before its first segment. */
    public synchronized org.higgsnarrator.decode.BatchScheduler.Stats segmentsAtOnceStats() {
        return together == null ? null : together.stats();
    }

    /** The batch {@link #renderTogether} decodes in (made now if need be), for the narrator loaded now. */
    private synchronized org.higgsnarrator.decode.BatchScheduler together(Narrator n) {
        if (n != narrator) throw new CancellationException("the model was replaced before this segment started; render it again");
        if (together == null) together = n.newBatchScheduler(segmentsAtOnce(), "narrator-segments-at-once");
        return together;
    }

    private RenderTask renderHere(RenderRequest r, RenderTarget target, RenderListener l, boolean batched) {
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
                SynthesisJob j = n.newJob(synthesisRequest(r, options));
                if (batched) j.decodeIn(together(n));
                job = j;
                if (cancelled) j.cancel();
                SynthesisListener listener = new SynthesisListener() {
                    @Override
                    public void onAudio(float[] samples, int sampleRate) {
                        l.onAudio(samples); // 24 kHz: checked when the model was loaded
                    }

                    @Override
                    public void onProgress(Progress p) {
                        l.onProgress(p);
                    }

                    @Override
                    public void onResume(int done, int count) {
                        l.onResume(done, count);
                    }
                };
                if (target.checkpoint() == null) return new AudioClip(j.run(listener).pcm(), NarrationService.RATE);
                // Checkpointed: the audio streams into the folder and each finished chunk is recorded there, so a render
                // stopped any way (crash, kill, closed studio) resumes at its first unfinished chunk; the take is the
                // folder's audio (segment-sized: read whole).
                try (RenderCheckpoint cp = RenderCheckpoint.open(target.checkpoint(), j.fingerprint(), j.chunks().size(), false)) {
                    j.run(listener, cp);
                    cp.flush();
                    return new AudioClip(readFloats(cp.audioFile(), cp.samples()), NarrationService.RATE);
                }
            }
        };
    }

    /** The first {@code samples} 32-bit little-endian floats of a checkpoint's audio file. */
    static float[] readFloats(Path file, long samples) throws IOException {
        float[] out = new float[Math.toIntExact(samples)];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(out.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {}
            if (b.hasRemaining()) throw new IOException(file + " holds fewer samples than its chunk records say (" + b.position() / 4 + " of " + out.length + ")");
            b.flip();
            b.asFloatBuffer().get(out);
        }
        return out;
    }

    /**
     * A segment rendered on a server through the engine's client ({@link RemoteRenderer}, as {@code narrate --server}):
     * the same chunks, prompts and seeds as locally; the chunks received are kept in the target's checkpoint folder.
     * A failure of the server (not of the request) is a {@link ServerUnavailableException}: the queue renders the
     * segment elsewhere, and the chunks already received stay for whoever renders it next on a server.
     */
    private RenderTask renderOnServer(RenderRequest r, RenderTarget target, RenderListener l) {
        GenerationOptions options = options(r.settings(), r.seed());
        RemoteServer on = target.server();
        RemoteRenderer renderer = new RemoteRenderer(List.of(client(on, java.time.Duration.ofMinutes(30))), 1, java.time.Duration.ofMinutes(5)).retries(1);
        return new RenderTask() {
            private volatile boolean cancelled;

            @Override
            public void cancel() {
                cancelled = true;
                renderer.cancel();
            }

            @Override
            public AudioClip await() throws Exception {
                if (cancelled) throw new CancellationException("render cancelled");
                // the segment as render --server sends it (one translation: render.RemoteSegments.Segment)
                org.higgsnarrator.render.RemoteSegments.Segment seg = org.higgsnarrator.render.RemoteSegments.Segment.of(r);
                long t0 = System.nanoTime();
                int[] resumed = {0};
                double[] audio = {0};
                RemoteRenderer.Result res;
                try {
                    res = renderer.render(seg.text(), seg.clips(), seg.profiles(), seg.scene(), options, r.lexicon(), new RemoteRenderer.Listener() {
                        @Override
                        public void onResume(int done, int count) {
                            resumed[0] = done;
                            l.onResume(done, count);
                        }

                        @Override
                        public void onChunkDone(int index, int count, org.higgsnarrator.engine.ScriptChunk chunk, org.higgsnarrator.serve.RenderServer server,
                                                double seconds) {
                            double elapsed = (System.nanoTime() - t0) / 1e9;
                            double a;
                            synchronized (audio) {
                                a = audio[0] += seconds;
                            }
                            int mine = index + 1 - resumed[0];
                            double eta = mine > 0 ? elapsed / mine * (count - index - 1) : Double.NaN;
                            l.onProgress(new Progress(index, count, Math.round(a * 25), a, elapsed, elapsed > 0 ? a / elapsed : 0, eta));
                        }
                    }, target.checkpoint(), false);
                } catch (org.higgsnarrator.serve.RenderServer.Failure f) {
                    if (f.kind() == org.higgsnarrator.serve.RenderServer.Failure.Kind.BAD_REQUEST) throw new IOException(f.getMessage(), f);
                    throw new ServerUnavailableException(on, f.getMessage(), f);
                }
                AudioClip clip = new AudioClip(res.pcm(), res.sampleRate());
                if (clip.sampleRate() != NarrationService.RATE) clip = org.higgsnarrator.audio.Resampler.resample(clip, NarrationService.RATE);
                l.onAudio(clip.samples());
                return clip;
            }
        };
    }

    /** A segment's render request as the engine's request: its voice, scene and text as one speaker turn. */
    private SynthesisRequest synthesisRequest(RenderRequest r, GenerationOptions options) {
        Map<String, Voice> voices = switch (r.voice()) {
            case RenderRequest.VoiceRef.Cloned c -> {
                int[][] codes = codes(c.clip());
                yield Map.of(Voice.NARRATOR, Voice.cloned(Voice.NARRATOR, codes, c.transcript()));
            }
            case RenderRequest.VoiceRef.Described d -> Map.of(Voice.NARRATOR, Voice.described(Voice.NARRATOR, d.description()));
            case RenderRequest.VoiceRef.ModelChoice m -> Map.of();
        };
        String scene = r.scene() == null ? "" : r.scene().strip();
        // The segment is one turn of one speaker: lines are joined so that nothing in it reads as a new turn.
        String text = r.text().replaceAll("\\s*\\n\\s*", " ").strip();
        return new SynthesisRequest(text, voices, scene.isEmpty() ? List.of() : List.of(scene), options).withLexicon(r.lexicon());
    }

    /** Prefilled once, the takes decoded together as one batch ({@link Narrator#synthesizeTakes}). */
    @Override
    public List<AudioClip> renderTakes(RenderRequest r, int takes) {
        BackendInfo b = backend;
        Narrator n = narrator;
        if (!b.canRender() || n == null) throw new IllegalStateException(b.cannotRenderReason() == null ? "no model loaded" : b.cannotRenderReason());
        List<AudioClip> out = new ArrayList<>();
        for (var result : n.synthesizeTakes(synthesisRequest(r, options(r.settings(), r.seed())), takes, null, null)) {
            out.add(new AudioClip(result.pcm(), NarrationService.RATE));
        }
        return List.copyOf(out);
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
        LoudnessMeter.Stream meter = new LoudnessMeter.Stream(NarrationService.RATE, 1, AUDIO);   // measured as it is written
        new AudioExporter(AUDIO).exportBook(q.sources(this::readAudio), NarrationService.RATE, 1, q.target(), format, q.title(), meter);
        return new ExportReport(q.target(), meter.frames() / (double) NarrationService.RATE,
                loudnessNotes(meter.frames() == 0 ? null : meter.result(), q.target().getFileName().toString()));
    }

    /** The export checked against ACX (audiobooks) and the podcast loudness target, one line each. */
    static List<String> loudnessNotes(Loudness l, String subject) {
        if (l == null) return List.of("the export is empty");
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
        org.higgsnarrator.decode.BatchScheduler t;
        synchronized (this) {
            t = together;
            together = null;
        }
        try {
            if (t != null) t.close();
        } finally {
            if (n != null) n.close();
        }
    }

    @Override
    public synchronized void close() {
        closeNarrator();
        backend = BackendInfo.nothingLoaded("closed");
    }
}
