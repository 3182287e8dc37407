package org.higgsnarrator.codec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.higgsnarrator.config.CodecConfig;
import org.higgsnarrator.pkg.GraphIo;
import org.higgsnarrator.pkg.PackageManifest;

/**
 * The Higgs Audio v2 audio tokenizer over two ONNX Runtime sessions: {@code codec_encoder} (24 kHz mono waveform →
 * codes [Q][frames], for voice cloning) and {@code codec_decoder} (codes → waveform, for every generated frame). The
 * encoder session (HuBERT inside, the larger one) is created on the first {@link #encode}.
 *
 * <p>Input contract: float samples in [-1, 1], mono, at {@link CodecConfig#sampleRate()} (24000). The 16 kHz
 * resampling for HuBERT happens inside the encoder graph.
 */
public final class AudioCodec implements AutoCloseable {

    /**
     * Tunables.
     *
     * @param intraOpThreads  ORT intra-op threads per session (0 = ORT's default: one per physical core)
     * @param maxDecodeFrames longest span {@link #decode} hands to the decoder graph in one call; longer code
     *                        sequences are decoded in overlapping chunks (same result, see {@link StreamingDecoder})
     *                        so memory stays bounded: one decode call of the released decoder raised peak memory
     *                        by 215 MB for 10 s of audio and 1.1 GB for 60 s (ORT CPU). Default 750 frames (30 s);
     *                        the extra work is 2·context/750 ≈ 3%.
     * @param maxEncodeSeconds longest reference clip {@link #encode} accepts. HuBERT attends over the whole clip, so
     *                        memory grows faster than linearly: one encode of the released encoder raised peak
     *                        memory by 510 MB for 10 s and 2.0 GB for 60 s. Default 120 s; cloning needs 5–30 s.
     */
    public record Options(int intraOpThreads, int maxDecodeFrames, double maxEncodeSeconds) {
        public static final int DEFAULT_MAX_DECODE_FRAMES = 750;
        public static final double DEFAULT_MAX_ENCODE_SECONDS = 120;

        public Options {
            if (maxDecodeFrames < 1) throw new IllegalArgumentException("maxDecodeFrames must be ≥ 1, got " + maxDecodeFrames);
            if (!(maxEncodeSeconds > 0)) throw new IllegalArgumentException("maxEncodeSeconds must be > 0, got " + maxEncodeSeconds);
        }

        public Options(int intraOpThreads) {
            this(intraOpThreads, DEFAULT_MAX_DECODE_FRAMES, DEFAULT_MAX_ENCODE_SECONDS);
        }

        public static Options defaults() {
            return new Options(0);
        }
    }

    private final CodecConfig config;
    private final Path encoderFile;
    private final Options options;
    private final OrtEnvironment env;
    private final OrtSession decoder;
    private OrtSession encoder; // lazily created
    /** Creates sessions on the engine's chosen provider; null = plain CPU sessions with {@link #options}. */
    private final java.util.function.Function<Path, OrtSession> sessions;

    private AudioCodec(CodecConfig config, Path encoderFile, Path decoderFile, Options options, java.util.function.Function<Path, OrtSession> sessions) {
        this.config = config;
        this.encoderFile = encoderFile;
        this.options = options;
        this.sessions = sessions;
        this.env = OrtEnvironment.getEnvironment();
        this.decoder = session(decoderFile, GraphIo.Role.CODEC_DECODER);
    }

    /**
     * Opens the codec graphs of a package with sessions from {@code sessions} (the engine passes its
     * {@code OrtRuntime::open}, so the codec runs on the provider the generation model runs on).
     */
    public static AudioCodec open(Path packageDir, PackageManifest manifest, java.util.function.Function<Path, OrtSession> sessions) {
        if (manifest.codec() == null) throw new CodecException(packageDir + ": the model package has no codec (manifest.json has no \"codec\" entry); re-export it with the audio tokenizer");
        PackageManifest.GraphSpec dec = manifest.graphs() == null ? null : manifest.graphs().get(GraphIo.Role.CODEC_DECODER.id());
        PackageManifest.GraphSpec enc = manifest.graphs() == null ? null : manifest.graphs().get(GraphIo.Role.CODEC_ENCODER.id());
        if (dec == null) throw new CodecException(packageDir + ": manifest.json lists no \"codec_decoder\" graph; re-export the package");
        Path decoderFile = packageDir.resolve(dec.file());
        if (!Files.isRegularFile(decoderFile)) throw new CodecException("codec decoder graph " + decoderFile + " is missing; re-export the model package");
        return new AudioCodec(manifest.codec(), enc == null ? null : packageDir.resolve(enc.file()), decoderFile, Options.defaults(), sessions);
    }

    /** Opens the codec graphs named in a model package's manifest. */
    public static AudioCodec open(Path packageDir, PackageManifest manifest, Options options) {
        if (manifest.codec() == null) throw new CodecException(packageDir + ": the model package has no codec (manifest.json has no \"codec\" entry); re-export it with the audio tokenizer");
        PackageManifest.GraphSpec dec = manifest.graphs() == null ? null : manifest.graphs().get(GraphIo.Role.CODEC_DECODER.id());
        PackageManifest.GraphSpec enc = manifest.graphs() == null ? null : manifest.graphs().get(GraphIo.Role.CODEC_ENCODER.id());
        if (dec == null) throw new CodecException(packageDir + ": manifest.json lists no \"codec_decoder\" graph; re-export the package");
        return open(manifest.codec(), enc == null ? null : packageDir.resolve(enc.file()), packageDir.resolve(dec.file()), options);
    }

    /** @param encoderFile null when the package has no encoder (then {@link #encode} explains that cloning is unavailable) */
    public static AudioCodec open(CodecConfig config, Path encoderFile, Path decoderFile, Options options) {
        if (!Files.isRegularFile(decoderFile)) throw new CodecException("codec decoder graph " + decoderFile + " is missing; re-export the model package");
        return new AudioCodec(config, encoderFile, decoderFile, options == null ? Options.defaults() : options, null);
    }

    public CodecConfig config() {
        return config;
    }

    // ---- encode -----------------------------------------------------------------------------------------------------

    /** Shortest clip the encoder accepts: one frame (40 ms at 24 kHz). */
    public int minEncodeSamples() {
        return config.hopLength();
    }

    /**
     * Encodes audio given with its format; rejects anything but mono at the codec's rate with a message saying what
     * to do (the engine does not guess a resampler or a downmix for you here).
     */
    public int[][] encode(float[] samples, int sampleRate, int channels) {
        if (channels != 1) {
            throw new CodecException("the audio tokenizer takes mono audio, got " + channels + " channels: mix down to one channel "
                    + "(average the channels) before encoding");
        }
        if (sampleRate != config.sampleRate()) {
            throw new CodecException("the audio tokenizer takes " + config.sampleRate() + " Hz audio, got " + sampleRate + " Hz: resample the clip to "
                    + config.sampleRate() + " Hz first (the audio loader does this for files)");
        }
        return encode(samples);
    }

    /** Encodes a mono waveform at {@link CodecConfig#sampleRate()}; returns codes [numCodebooks][frames]. */
    public int[][] encode(float[] wave) {
        if (wave == null || wave.length == 0) throw new CodecException("cannot encode an empty clip: give at least " + minEncodeSamples() + " samples (" + ms(minEncodeSamples()) + " ms) of audio");
        if (wave.length < minEncodeSamples()) {
            throw new CodecException("clip too short to encode: " + wave.length + " samples (" + ms(wave.length) + " ms); the audio tokenizer needs at least one "
                    + ms(minEncodeSamples()) + " ms frame (" + minEncodeSamples() + " samples at " + config.sampleRate() + " Hz)");
        }
        double seconds = (double) wave.length / config.sampleRate();
        if (seconds > options.maxEncodeSeconds()) {
            throw new CodecException(String.format("reference clip too long to encode: %.1f s (limit %.0f s); trim it — 5 to 30 s of clean speech "
                    + "is what voice cloning needs", seconds, options.maxEncodeSeconds()));
        }
        for (int i = 0; i < wave.length; i++) {
            if (!Float.isFinite(wave[i])) throw new CodecException("cannot encode: sample " + i + " is " + wave[i] + " (the clip must hold finite values)");
        }
        OrtSession enc = encoderSession();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(wave), new long[] {1, 1, wave.length});
             OrtSession.Result r = enc.run(Map.of(GraphIo.WAVEFORM, in))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] shape = out.getInfo().getShape();
            int q = (int) shape[1], t = (int) shape[2];
            LongBuffer lb = out.getLongBuffer();
            int[][] codes = new int[q][t];
            for (int k = 0; k < q; k++) for (int f = 0; f < t; f++) codes[k][f] = (int) lb.get(k * t + f);
            return codes;
        } catch (OrtException e) {
            throw new CodecException("codec encoder failed on " + wave.length + " samples: " + e.getMessage(), e);
        }
    }

    private synchronized OrtSession encoderSession() {
        if (encoder == null) {
            if (encoderFile == null || !Files.isRegularFile(encoderFile)) {
                throw new CodecException("this model package has no codec encoder graph" + (encoderFile == null ? "" : " (" + encoderFile + " is missing)")
                        + ", so reference clips cannot be encoded; re-export the package with the audio tokenizer or use cached clip codes");
            }
            encoder = session(encoderFile, GraphIo.Role.CODEC_ENCODER);
        }
        return encoder;
    }

    // ---- decode -----------------------------------------------------------------------------------------------------

    /** Decodes codes [numCodebooks][frames] to a waveform of frames × hop samples. */
    public float[] decode(int[][] codes) {
        int frames = checkCodes(codes);
        if (frames <= options.maxDecodeFrames()) return decodeRange(codes, 0, frames);
        int ctx = config.decoderContextFrames(), hop = config.hopLength();
        float[] wave = new float[frames * hop];
        for (int a = 0; a < frames; a += options.maxDecodeFrames()) {
            int b = Math.min(frames, a + options.maxDecodeFrames());
            int from = Math.max(0, a - ctx), to = Math.min(frames, b + ctx);
            float[] part = decodeRange(codes, from, to);
            System.arraycopy(part, (a - from) * hop, wave, a * hop, (b - a) * hop);
        }
        return wave;
    }

    /** Decodes frames [from, to) of codes [Q][F] (used by {@link StreamingDecoder}). */
    float[] decodeRange(int[][] codes, int from, int to) {
        int q = codes.length, t = to - from;
        long[] flat = new long[q * t];
        for (int k = 0; k < q; k++) for (int f = 0; f < t; f++) flat[k * t + f] = codes[k][from + f];
        try (OnnxTensor in = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[] {1, q, t});
             OrtSession.Result r = decoder.run(Map.of(GraphIo.CODES, in))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] wave = new float[fb.remaining()];
            fb.get(wave);
            return wave;
        } catch (OrtException e) {
            throw new CodecException("codec decoder failed on " + t + " frames: " + e.getMessage(), e);
        }
    }

    /** Validates shape and range; returns the frame count. */
    int checkCodes(int[][] codes) {
        if (codes == null || codes.length != config.numCodebooks()) {
            throw new CodecException("codes must be [" + config.numCodebooks() + "][frames], got " + (codes == null ? "null" : codes.length + " rows"));
        }
        int frames = codes[0].length;
        if (frames == 0) throw new CodecException("cannot decode zero frames: give at least one frame of " + config.numCodebooks() + " codes");
        for (int k = 0; k < codes.length; k++) {
            if (codes[k].length != frames) throw new CodecException("codes row " + k + " has " + codes[k].length + " frames but row 0 has " + frames + ": all codebooks need the same length (revert the delay pattern first)");
            for (int f = 0; f < frames; f++) {
                int c = codes[k][f];
                if (c < 0 || c >= config.codebookSize()) {
                    throw new CodecException("code " + c + " at codebook " + k + ", frame " + f + " is outside [0, " + config.codebookSize()
                            + "): stream BOS/EOS and delay fill must be stripped before decoding");
                }
            }
        }
        return frames;
    }

    // ---- sessions ---------------------------------------------------------------------------------------------------

    private OrtSession session(Path file, GraphIo.Role role) {
        if (sessions != null) {
            try {
                return sessions.apply(file);
            } catch (RuntimeException e) {
                throw new CodecException("cannot load the " + role + " graph " + file + ": " + e.getMessage(), e);
            }
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (options.intraOpThreads() > 0) o.setIntraOpNumThreads(options.intraOpThreads());
            return env.createSession(file.toString(), o);
        } catch (OrtException e) {
            throw new CodecException("cannot load the " + role + " graph " + file + ": " + e.getMessage() + " — re-export the model package", e);
        }
    }

    private int ms(int samples) {
        return (int) Math.round(samples * 1000.0 / config.sampleRate());
    }

    @Override
    public synchronized void close() {
        try {
            decoder.close();
            if (encoder != null) encoder.close();
        } catch (OrtException e) {
            throw new CodecException("closing codec sessions: " + e.getMessage(), e);
        }
    }
}
