package org.higgsnarrator.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.PreparedClip;
import org.higgsnarrator.audio.ReferenceClipPreparer;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.runtime.Device;

/**
 * A loaded narration model: the generation model (weights, ORT sessions), the prompt renderer (tokenizer, template),
 * the codec's decoder and encoder. Loading is the expensive part; a Narrator is then shared by any number of
 * {@link SynthesisJob}s, each holding only its own state (KV cache, buffers). Closing it releases the native
 * resources; jobs must have finished.
 */
public final class Narrator implements AutoCloseable {
    private final AudioLanguageModel model;
    private final PromptRenderer renderer;
    private final WaveformDecoder decoder;
    private final ReferenceEncoder encoder;
    private final ScriptSplitter splitter;
    private volatile Info info = new Info(null, "in-process components", false);

    /**
     * Takes ownership of the model and the decoder (and of the encoder when it is AutoCloseable).
     *
     * @param encoder may be null: voice cloning from clips is then unavailable
     */
    public Narrator(AudioLanguageModel model, PromptRenderer renderer, WaveformDecoder decoder, ReferenceEncoder encoder, ScriptSplitter splitter) {
        this.model = model;
        this.renderer = renderer;
        this.decoder = decoder;
        this.encoder = encoder;
        this.splitter = splitter == null ? new ChapterSplitter() : splitter;
    }

    /**
     * What a user should know about the loaded model: where it runs and why, and whether it is a random-weight test
     * model that exercises the pipeline but does not speak.
     *
     * @param device        where the sessions run (CPU or CUDA; null for in-process components that use no runtime)
     * @param reason        why that device was chosen
     * @param randomWeights true for test packages such as the bundled tiny one
     */
    public record Info(Device device, String reason, boolean randomWeights) {}

    public Info info() {
        return info;
    }

    private volatile String modelId = "in-process components";

    /** Which model this is (package folder, name, precision): part of a render's fingerprint, so a resume never mixes models. */
    public String modelId() {
        return modelId;
    }

    Narrator withModelId(String id) {
        this.modelId = id;
        return this;
    }

    private volatile GenerationOptions defaultOptions = GenerationOptions.defaults();

    /** Generation options from the model package's sampling defaults: what a request without options runs with. */
    public GenerationOptions defaultOptions() {
        return defaultOptions;
    }

    Narrator withDefaultOptions(GenerationOptions options) {
        this.defaultOptions = options;
        return this;
    }

    /** Resources the narrator's parts share (the tokenizer), closed after them. */
    private final java.util.List<AutoCloseable> shared = new java.util.ArrayList<>();

    /** Also closes {@code resource} (a tokenizer the renderer uses) when this narrator closes. */
    public Narrator closing(AutoCloseable resource) {
        return alsoClosing(resource);
    }

    Narrator alsoClosing(AutoCloseable resource) {
        shared.add(resource);
        return this;
    }

    Narrator withInfo(Info info) {
        this.info = info;
        return this;
    }

    public ModelConfig config() {
        return model.config();
    }

    public int sampleRate() {
        return decoder.sampleRate();
    }

    /** A cloned voice from a reference recording and its transcript ({@link #encodeReference(Path)}). */
    public Voice cloneVoice(String name, Path clip, String transcript) {
        return Voice.cloned(name, encodeReference(clip), transcript);
    }

    /**
     * The one preparation of a reference recording: any file the audio reader takes (WAV, FLAC, MP3) → mono at the
     * codec's rate, untrimmed as Boson's release encodes it ({@link ReferenceClipPreparer}) → codec codes [K][F]. What hurts cloning
     * (clipping, noise, length) is logged, not refused.
     *
     * @throws UncheckedIOException naming the file when it cannot be read as audio
     */
    public int[][] encodeReference(Path clip) {
        return encode(prepare(clip), clip);
    }

    /**
     * {@link #encodeReference(Path)}, cached in {@code cacheDir} by the prepared clip's content and this model's codec
     * ({@code <content key>.codes-<codec id>.json}): each recording is encoded once per codec.
     */
    public int[][] encodeReference(Path clip, Path cacheDir) {
        AudioClip prepared = prepare(clip);
        Path f = ReferenceCodeCache.file(cacheDir, ReferenceCodeCache.contentKey(prepared), codecId);
        int[][] codes = ReferenceCodeCache.read(f, codecId, model.config().numCodebooks());
        if (codes == null) {
            codes = encode(prepared, clip);
            ReferenceCodeCache.write(f, codecId, codes);
        }
        return codes;
    }

    /** The content key {@link #encodeReference(Path, Path)} files a prepared clip under (16 hex digits). */
    public static String referenceKey(AudioClip prepared) {
        return ReferenceCodeCache.contentKey(prepared);
    }

    /** Identifies this model's codec in reference-code caches ({@code PackageManifest.codecId()}). */
    public String codecId() {
        return codecId;
    }

    private volatile String codecId = "in-process";

    Narrator withCodecId(String id) {
        this.codecId = id;
        return this;
    }

    /** The one preparation of a reference recording (also used by {@link PromptPreview}). */
    static AudioClip prepare(Path clip) {
        try {
            PreparedClip p = new ReferenceClipPreparer().prepare(clip);
            p.warnings().forEach(w -> java.util.logging.Logger.getLogger(Narrator.class.getName()).warning(w));
            return p.clip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reference clip " + clip + ": " + e.getMessage(), e);
        }
    }

    private int[][] encode(AudioClip prepared, Path clip) {
        if (encoder == null) throw new IllegalStateException("this narrator has no audio encoder: voice cloning from " + clip + " is unavailable");
        int[][] codes = encoder.encode(prepared);
        if (codes.length != model.config().numCodebooks()) {
            throw new IllegalStateException("the encoder returned " + codes.length + " codebooks for " + clip + "; the model has " + model.config().numCodebooks());
        }
        return codes;
    }

    public SynthesisJob newJob(SynthesisRequest request) {
        return new SynthesisJob(this, request);
    }

    /** Runs a job to the end on this thread; see {@link SynthesisJob#run}. */
    public SynthesisResult synthesize(SynthesisRequest request, SynthesisListener listener) {
        return newJob(request).run(listener);
    }

    /**
     * "New take ×N": {@code takes} renders of {@code request}, take t with the request's seed + t (what t successive
     * "New take" clicks render). A one-chunk request (a studio segment) is prefilled once and its takes decoded
     * together as one batch when the model decodes batches (the Java API path; docs/engine.md "Batched decoding");
     * otherwise the takes run one after the other. Each result holds its take's whole audio.
     *
     * @param listener  gets the planning notes ({@link SynthesisListener#onNote}); audio comes in the results
     * @param cancelled polled before every model call; when true this throws {@link java.util.concurrent.CancellationException}
     */
    public java.util.List<SynthesisResult> synthesizeTakes(SynthesisRequest request, int takes, SynthesisListener listener,
            java.util.function.BooleanSupplier cancelled) {
        return Takes.run(this, request, takes, listener, cancelled);
    }

    /**
     * A scheduler that decodes up to {@code slots} concurrent generations together on this narrator's model
     * ({@link ConversationJob#run(ConversationJob.AudioSink, org.higgsnarrator.decode.BatchScheduler)}); null when the
     * model cannot batch (e.g. the IoBinding path). The caller closes it before the narrator.
     */
    public org.higgsnarrator.decode.BatchScheduler newBatchScheduler(int slots, String threadName) {
        return decodesBatches() ? new org.higgsnarrator.decode.BatchScheduler(model, org.higgsnarrator.config.ReferencePipeline.OFFICIAL, slots, threadName) : null;
    }

    /** The most jobs {@link #batchSlots()} proposes to decode together. */
    public static final int MAX_BATCH_SLOTS = 4;
    /** The positions per slot {@link #batchSlots()} budgets for (a book segment's prompt and audio). */
    static final int BATCH_SLOT_POSITIONS = 2048;

    /**
     * How many jobs to decode together ({@link SynthesisJob#decodeIn}: a book's segments rendered at once): at most
     * {@value #MAX_BATCH_SLOTS} — at the release's size on two CPU cores a batch of 4 gave 2.7× the frames per second
     * of one sequence (docs/performance.md "Batched decoding on the CPU") — and no more slots of {@value
     * #BATCH_SLOT_POSITIONS} float32 cache positions (with the batch's shared-prefix slot) than fit in an eighth of this
     * computer's memory; 1 when the model decodes one sequence at a time (the IoBinding path).
     */
    public int batchSlots() {
        if (!decodesBatches()) return 1;
        ModelConfig c = model.config();
        long perSlot = (long) c.numLayers() * 2 * c.numKvHeads() * c.headDim() * BATCH_SLOT_POSITIONS * Float.BYTES;
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return (int) Math.clamp(memory / 8 / Math.max(1, perSlot) - 1, 1, MAX_BATCH_SLOTS);
    }

    /** Whether this narrator's model decodes several sequences per step (false on the IoBinding path). */
    public boolean decodesBatches() {
        return model.batchable();
    }

    AudioLanguageModel model() {
        return model;
    }

    PromptRenderer renderer() {
        return renderer;
    }

    WaveformDecoder decoder() {
        return decoder;
    }

    ScriptSplitter splitter() {
        return splitter;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            try {
                decoder.close();
            } finally {
                java.util.List<AutoCloseable> rest = new java.util.ArrayList<>(shared);
                if (encoder instanceof AutoCloseable c) rest.addFirst(c);
                for (AutoCloseable c : rest) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("closing " + c + " failed: " + e.getMessage(), e);
                    }
                }
            }
        }
    }
}
