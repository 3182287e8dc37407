package org.higgsnarrator.ui.service;

import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.audio.Resampler;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioOptions;
import org.higgsnarrator.audio.PreparedClip;
import org.higgsnarrator.audio.ReferenceClipPreparer;
import org.higgsnarrator.engine.Narrator;
import java.util.Locale;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.pkg.PackageManifest;

/**
 * The service this build can offer without the engine: model packages are read and described (manifest.json),
 * audio files are decoded with Java Sound (WAV; MP3 and FLAC through the SPI decoders on the classpath),
 * resampled to 24 kHz with Java Sound's converter, voice clips are prepared and cached, WAV is exported.
 * It cannot render: {@link BackendInfo#canRender()} is false and says why. The engine adapter replaces it
 * (see {@link NarrationServices}).
 */
public class BasicNarrationService implements NarrationService {
    /** Why rendering is unavailable, shown to the user. */
    public static final String NO_ENGINE = "No generation engine is wired into this build of the studio "
            + "(no NarrationService adapter on the classpath). Projects, voices, playback and export work; rendering needs the engine.";

    private volatile BackendInfo backend = BackendInfo.nothingLoaded("No model package loaded. " + NO_ENGINE);

    @Override
    public BackendInfo backend() {
        return backend;
    }

    @Override
    public BackendInfo loadModel(ModelChoice choice) throws IOException {
        PackageManifest m = readManifest(choice.packageDir());
        String reason = "Device is chosen when the engine loads the model (asked for: " + choice.device() + ").";
        backend = new BackendInfo(m.name(), choice.packageDir(), m.randomWeights(), m.precision(), null, reason,
                choice.threads(), false, NO_ENGINE, m.samplingDefaults());
        return backend;
    }

    /** Reads a package's manifest.json with an error naming the file and what to do. */
    public static PackageManifest readManifest(Path packageDir) throws IOException {
        try {
            return PackageManifest.read(packageDir);
        } catch (org.higgsnarrator.pkg.ModelPackage.PackageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public AudioClip readAudio(Path file) throws IOException {
        return decode(file, new ArrayList<>());
    }

    /** Decodes (the engine's reader), mixes to mono and resamples to 24 kHz; notes what it changed in {@code warnings}. */
    static AudioClip decode(Path file, List<String> warnings) throws IOException {
        AudioClip c = AudioReader.read(file);
        if (c.sampleRate() != RATE) warnings.add("resampled " + c.sampleRate() + " Hz → 24000 Hz");
        if (c.channels() > 1) warnings.add("mixed " + c.channels() + " channels to mono");
        return Resampler.resample(c.toMono(), RATE);
    }

    @Override
    public PreparedVoice prepareVoice(Path source, Path cacheDir) throws IOException {
        return prepare(source, cacheDir);
    }

    /**
     * The engine's one preparation of a reference clip ({@link ReferenceClipPreparer}: decode, mono, 24 kHz, not
     * trimmed as in Boson's release, what hurts cloning) kept as a WAV in {@code cacheDir} under the engine's content key
     * ({@link Narrator#referenceKey}), the key its code cache files use. Not yet encoded.
     */
    static PreparedVoice prepare(Path source, Path cacheDir) throws IOException {
        PreparedClip p = new ReferenceClipPreparer(AudioOptions.DEFAULTS).prepare(source);
        List<String> warnings = new ArrayList<>();
        if (p.sourceSampleRate() != NarrationService.RATE) warnings.add("resampled " + p.sourceSampleRate() + " Hz → 24000 Hz");
        if (p.sourceChannels() > 1) warnings.add("mixed " + p.sourceChannels() + " channels to mono");
        double trimmed = p.trimmedHeadSeconds() + p.trimmedTailSeconds();
        if (trimmed >= 0.05) warnings.add(String.format(Locale.ROOT, "trimmed %.1f s of silence", trimmed));
        warnings.addAll(p.warnings());
        String key = Narrator.referenceKey(p.clip());
        Path clip = cacheDir.resolve(key + ".wav");
        if (!Files.exists(clip)) new AudioExporter().export(p.clip(), clip, AudioExporter.Format.WAV16);
        return new PreparedVoice(clip, key, p.clip().seconds(), false, warnings);
    }

    @Override
    public RemoteServer remoteServer(String url, String apiKey) {
        // the engine's client normalises and checks the address (one rule for the studio and narrate --server)
        String u = new org.higgsnarrator.serve.RenderServer(url == null ? "" : url, null, java.time.Duration.ofSeconds(10)).uri().toString();
        return new RemoteServer(u, apiKey);
    }

    @Override
    public String checkServer(RemoteServer server) throws IOException {
        long t0 = System.nanoTime();
        String model = client(server, java.time.Duration.ofSeconds(10)).check();
        return String.format(Locale.ROOT, "OK: %s serves '%s' (GET /health and /v1/models answered in %.0f ms)", server.url(), model, (System.nanoTime() - t0) / 1e6);
    }

    /** The engine's client for a configured server (the render queue's server lanes, Render book on servers). */
    public static org.higgsnarrator.serve.RenderServer client(RemoteServer s, java.time.Duration requestTimeout) {
        return new org.higgsnarrator.serve.RenderServer(s.url(), s.hasKey() ? s.apiKey() : null, requestTimeout);
    }

    @Override
    public RenderTask render(RenderRequest request, RenderListener listener) {
        throw new IllegalStateException(backend.cannotRenderReason() == null ? NO_ENGINE : backend.cannotRenderReason());
    }

    @Override
    public List<ExportFormat> exportFormats() {
        return List.of(ExportFormat.WAV);
    }

    @Override
    public ExportReport exportAudio(ExportRequest request) throws IOException {
        if (request.format() != ExportFormat.WAV) {
            throw new IOException(request.format().label + " export needs the audio module (not wired into this build); choose WAV");
        }
        if (request.chapters().isEmpty()) throw new IOException("nothing to export: no chapters chosen");
        double[] peakAndSum = new double[2];
        long[] count = {0};
        new AudioExporter().exportBook(request.sources(this::readAudio), RATE, 1, request.target(), AudioExporter.Format.WAV16,
                request.title(), (s, len) -> {
                    for (int i = 0; i < len; i++) {
                        peakAndSum[0] = Math.max(peakAndSum[0], Math.abs(s[i]));
                        peakAndSum[1] += (double) s[i] * s[i];
                    }
                    count[0] += len;
                });
        long n = count[0];
        double peak = peakAndSum[0], sum = peakAndSum[1];
        List<String> notes = new ArrayList<>();
        if (n > 0) {
            notes.add(String.format("peak %.1f dBFS, RMS %.1f dBFS (no loudness normalisation in this build)",
                    20 * Math.log10(Math.max(peak, 1e-9)), 10 * Math.log10(Math.max(sum / n, 1e-18))));
        }
        return new ExportReport(request.target(), n / (double) NarrationService.RATE, notes);
    }


    @Override
    public void close() {}
}
