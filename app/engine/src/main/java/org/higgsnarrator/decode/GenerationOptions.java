package org.higgsnarrator.decode;

import org.higgsnarrator.pkg.PackageManifest.SamplingDefaults;

/**
 * Every tunable of generation, in one place, and the one rule for which values are valid (the constructor; the CLI
 * and the studio pass values through unchanged and show its message). Sampling defaults come from the model package
 * ({@link SamplingDefaults}: {@link #of}, {@code Narrator.defaultOptions()}); {@link #defaults()} is the release's,
 * for models without a package. {@link #greedyReference()} is what the conformance goldens record.
 *
 * @param greedy           argmax per codebook instead of sampling (temperature, top-k and top-p are then unused);
 *                         RAS still applies, as in the release's greedy mode (serve_engine.py L388: do_sample=False
 *                         when temperature is 0, ras_win_len unchanged)
 * @param temperature      divides the logits before top-k/top-p
 * @param topK             keep the k most likely codes per codebook; 0 = off
 * @param topP             nucleus: keep the smallest set of codes whose probability reaches p; 1.0 = off
 * @param rasWindow        repetition-aware sampling window in frames; 0 = off
 * @param rasMaxRepeats    a code already seen this many times in the window is resampled from the raw distribution
 * @param seed             seed of the sampling RNG: the same seed, prompt and model give the same take
 * @param maxFrames        frame limit per chunk, 25 frames = 1 s
 * @param chunkBufferSize  long-form: how many previous generated chunks a chunk's prompt carries as context
 *                         (release {@code generation_chunk_buffer_size}; unbounded there, bounded here so that the
 *                         prompt and the KV cache stay bounded on long chapters); 0 = no context
 * @param chunkMaxWords    long-form: the longest chunk in words when splitting paragraphs (release {@code chunk_max_word_num}: 200)
 * @param contextTokens    long-form context policy: 0 = a window of the last {@code chunkBufferSize} chunks, slid chunk by
 *                         chunk (the release's bounded buffer); &gt; 0 = carry-over: every chunk stays in the context (and
 *                         in the live KV state, so each chunk prefills only its closing tokens and the next user turn)
 *                         until a prompt would pass this many positions, then the context re-bases to the last chunk
 *                         ({@code chunkBufferSize} is then not used). Either way the package's context is never exceeded.
 */
public record GenerationOptions(
        boolean greedy,
        double temperature,
        int topK,
        double topP,
        int rasWindow,
        int rasMaxRepeats,
        long seed,
        int maxFrames,
        int chunkBufferSize,
        int chunkMaxWords,
        int contextTokens) {

    public static final long DEFAULT_SEED = 0;
    public static final int DEFAULT_CHUNK_BUFFER_SIZE = 2;
    public static final int DEFAULT_CHUNK_MAX_WORDS = 200;

    public GenerationOptions {
        require(temperature > 0 && Double.isFinite(temperature), "temperature must be a positive number, got " + temperature);
        require(topK >= 0, "top-k must be ≥ 0 (0 = off), got " + topK);
        require(topP > 0 && topP <= 1, "top-p must be in (0, 1] (1 = off), got " + topP);
        require(rasWindow >= 0, "RAS window must be ≥ 0 (0 = off), got " + rasWindow);
        require(rasMaxRepeats >= 1, "RAS max repeats must be ≥ 1, got " + rasMaxRepeats);
        require(maxFrames >= 1, "max frames must be ≥ 1, got " + maxFrames);
        require(chunkBufferSize >= 0, "chunk buffer size must be ≥ 0, got " + chunkBufferSize);
        require(chunkMaxWords >= 1, "chunk max words must be ≥ 1, got " + chunkMaxWords);
        require(contextTokens >= 0, "context tokens must be ≥ 0 (0 = a window of chunkBufferSize chunks), got " + contextTokens);
    }

    /** The sliding-window context policy (contextTokens 0). */
    public GenerationOptions(boolean greedy, double temperature, int topK, double topP, int rasWindow, int rasMaxRepeats, long seed, int maxFrames,
            int chunkBufferSize, int chunkMaxWords) {
        this(greedy, temperature, topK, topP, rasWindow, rasMaxRepeats, seed, maxFrames, chunkBufferSize, chunkMaxWords, 0);
    }

    /** Carry-over (see {@code contextTokens}) when {@code tokens} &gt; 0, else the window of {@code chunkBufferSize} chunks. */
    public GenerationOptions withContextTokens(int tokens) {
        return new GenerationOptions(greedy, temperature, topK, topP, rasWindow, rasMaxRepeats, seed, maxFrames, chunkBufferSize, chunkMaxWords, tokens);
    }

    /** Whether the context is carried over (and re-based at {@link #contextTokens}) rather than slid. */
    public boolean carriesContext() {
        return contextTokens > 0;
    }

    private static void require(boolean ok, String msg) {
        if (!ok) throw new IllegalArgumentException("generation options: " + msg);
    }

    /** Sampling from a package's defaults; seed and long-form chunking at theirs. */
    public static GenerationOptions of(SamplingDefaults s) {
        return new GenerationOptions(false, s.temperature(), s.topK(), s.topP(), s.rasWindow(), s.rasMaxRepeats(), DEFAULT_SEED,
                s.maxFrames(), DEFAULT_CHUNK_BUFFER_SIZE, DEFAULT_CHUNK_MAX_WORDS);
    }

    /** The release's sampling defaults ({@link SamplingDefaults#release()}), for a model that came without a package. */
    public static GenerationOptions defaults() {
        return of(SamplingDefaults.release());
    }

    /** Greedy decoding without repetition-aware resampling: what the conformance goldens were generated with. */
    public static GenerationOptions greedyReference() {
        return defaults().withGreedy(true).withRasWindow(0);
    }

    public GenerationOptions withGreedy(boolean v) {
        return new GenerationOptions(v, temperature, topK, topP, rasWindow, rasMaxRepeats, seed, maxFrames, chunkBufferSize, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withTemperature(double v) {
        return new GenerationOptions(greedy, v, topK, topP, rasWindow, rasMaxRepeats, seed, maxFrames, chunkBufferSize, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withTopK(int v) {
        return new GenerationOptions(greedy, temperature, v, topP, rasWindow, rasMaxRepeats, seed, maxFrames, chunkBufferSize, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withTopP(double v) {
        return new GenerationOptions(greedy, temperature, topK, v, rasWindow, rasMaxRepeats, seed, maxFrames, chunkBufferSize, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withRasWindow(int v) {
        return new GenerationOptions(greedy, temperature, topK, topP, v, rasMaxRepeats, seed, maxFrames, chunkBufferSize, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withRasMaxRepeats(int v) {
        return new GenerationOptions(greedy, temperature, topK, topP, rasWindow, v, seed, maxFrames, chunkBufferSize, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withSeed(long v) {
        return new GenerationOptions(greedy, temperature, topK, topP, rasWindow, rasMaxRepeats, v, maxFrames, chunkBufferSize, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withMaxFrames(int v) {
        return new GenerationOptions(greedy, temperature, topK, topP, rasWindow, rasMaxRepeats, seed, v, chunkBufferSize, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withChunkBufferSize(int v) {
        return new GenerationOptions(greedy, temperature, topK, topP, rasWindow, rasMaxRepeats, seed, maxFrames, v, chunkMaxWords, contextTokens);
    }

    public GenerationOptions withChunkMaxWords(int v) {
        return new GenerationOptions(greedy, temperature, topK, topP, rasWindow, rasMaxRepeats, seed, maxFrames, chunkBufferSize, v, contextTokens);
    }
}
