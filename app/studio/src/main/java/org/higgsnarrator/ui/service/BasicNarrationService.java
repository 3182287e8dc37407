package org.higgsnarrator.ui.service;

import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.audio.Resampler;
import org.higgsnarrator.ui.audio.AudioPlayer;
import org.higgsnarrator.audio.AudioClip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
    /** Reference clips: shorter is too little voice, longer only slows every render (whole clip is in the prompt). */
    static final double MIN_CLIP_S = 3, MAX_CLIP_S = 30;
    /** Silence threshold for trimming, about -46 dBFS, measured on 10 ms windows. */
    static final float SILENCE = 0.005f;

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
        List<String> warnings = new ArrayList<>();
        AudioClip clip = decode(source, warnings);
        float[] x = clip.samples();
        int win = NarrationService.RATE / 100;
        int first = -1, last = -1;
        for (int w = 0; w * win < x.length; w++) {
            double sum = 0;
            int end = Math.min(x.length, (w + 1) * win);
            for (int i = w * win; i < end; i++) sum += x[i] * x[i];
            if (Math.sqrt(sum / (end - w * win)) > SILENCE) {
                if (first < 0) first = w * win;
                last = end;
            }
        }
        if (first < 0) throw new IOException(source + ": the clip is silent — record or choose a clip where the voice speaks");
        int pad = NarrationService.RATE / 10; // keep 100 ms around the voice so onsets are not cut
        int from = Math.max(0, first - pad), to = Math.min(x.length, last + pad);
        double trimmed = (x.length - (to - from)) / (double) NarrationService.RATE;
        if (trimmed >= 0.05) warnings.add(String.format("trimmed %.1f s of silence", trimmed));
        float[] y = java.util.Arrays.copyOfRange(x, from, to);
        int clipped = 0;
        for (float v : y) if (Math.abs(v) >= 0.999f) clipped++;
        if (clipped > y.length / 1000) warnings.add("clipping detected (" + clipped + " samples at full scale) — the clone will copy the distortion");
        double seconds = y.length / (double) NarrationService.RATE;
        if (seconds < MIN_CLIP_S) warnings.add(String.format("clip is only %.1f s; 5–20 s of clear speech clones best", seconds));
        if (seconds > MAX_CLIP_S) warnings.add(String.format("clip is %.0f s long; 5–20 s clones as well and renders faster", seconds));
        String key = sha256(AudioPlayer.pcm16(y)).substring(0, 16);
        Path out = cacheDir.resolve(key + ".wav");
        if (!Files.exists(out)) new AudioExporter().export(new AudioClip(y, RATE), out, AudioExporter.Format.WAV16);
        return new PreparedVoice(out, key, seconds, false, warnings);
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
        int n = 0;
        for (var c : request.chapters()) n += c.audio().samples().length;
        float[] all = new float[n];
        int at = 0;
        for (var c : request.chapters()) {
            float[] s = c.audio().samples();
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        new AudioExporter().export(new AudioClip(all, RATE), request.target(), AudioExporter.Format.WAV16);
        double peak = 0, sum = 0;
        for (float v : all) {
            peak = Math.max(peak, Math.abs(v));
            sum += v * v;
        }
        List<String> notes = new ArrayList<>();
        if (n > 0) {
            notes.add(String.format("peak %.1f dBFS, RMS %.1f dBFS (no loudness normalisation in this build)",
                    20 * Math.log10(Math.max(peak, 1e-9)), 10 * Math.log10(Math.max(sum / n, 1e-18))));
        }
        return new ExportReport(request.target(), n / (double) NarrationService.RATE, notes);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {}
}
