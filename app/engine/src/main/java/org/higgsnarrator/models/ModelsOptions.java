package org.higgsnarrator.models;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;

/**
 * Every tunable of model management, with its default. {@link #defaults()} reads the overrides a user or a packaged
 * launcher can set without code: system properties first, then environment variables.
 *
 * @param modelsRoot        folder of installed packages, one sub-folder each ({@code narrator.models.dir} /
 *                          {@code NARRATOR_MODELS_DIR}; default {@code <user data>/models})
 * @param appHome           application folder whose {@code onnx-models/} holds the bundled packages
 *                          ({@code narrator.home}; null when unknown — then nothing is bundled)
 * @param downloadsRoot     where hub repositories are downloaded ({@code <user data>/downloads})
 * @param benchFile         speed results of {@code ./narrator bench} ({@code <user cache>/bench.json})
 * @param hubEndpoint       a Hugging Face compatible hub ({@code narrator.hub.endpoint} / {@code HF_ENDPOINT};
 *                          default https://huggingface.co)
 * @param hubToken          bearer token for gated or private repositories ({@code HF_TOKEN}, {@code HUGGING_FACE_HUB_TOKEN} or
 *                          the huggingface token file, see {@link #hubToken}); null for none
 * @param parallelDownloads files downloaded at once (4: enough to fill a fast link, polite to the hub)
 * @param downloadRetries   automatic resumes of one file after a broken transfer (5)
 * @param stallTimeout      a transfer that receives nothing this long is broken off and resumed (60 s)
 * @param progressInterval  how often progress callbacks fire at most (500 ms)
 * @param contextTokens     context length the memory estimate budgets the KV cache for (4096 tokens ≈ 2.5 min of
 *                          audio at 25 frames/s plus the prompt)
 */
public record ModelsOptions(
        Path modelsRoot,
        Path appHome,
        Path downloadsRoot,
        Path benchFile,
        URI hubEndpoint,
        String hubToken,
        int parallelDownloads,
        int downloadRetries,
        Duration stallTimeout,
        Duration progressInterval,
        int contextTokens) {

    public static final URI DEFAULT_HUB = URI.create("https://huggingface.co");

    public ModelsOptions {
        if (parallelDownloads < 1) throw new IllegalArgumentException("parallelDownloads must be ≥ 1, got " + parallelDownloads);
        if (downloadRetries < 0) throw new IllegalArgumentException("downloadRetries must be ≥ 0, got " + downloadRetries);
        if (contextTokens < 1) throw new IllegalArgumentException("contextTokens must be ≥ 1, got " + contextTokens);
    }

    public static ModelsOptions defaults() {
        UserDirs dirs = UserDirs.detect();
        String models = setting("narrator.models.dir", "NARRATOR_MODELS_DIR");
        String home = System.getProperty("narrator.home");
        String endpoint = setting("narrator.hub.endpoint", "HF_ENDPOINT");
        String token = hubToken(System.getenv(), Path.of(System.getProperty("user.home")));
        return new ModelsOptions(
                models != null ? Path.of(models) : dirs.data().resolve("models"),
                home != null ? Path.of(home) : null,
                dirs.data().resolve("downloads"),
                dirs.cache().resolve("bench.json"),
                endpoint != null ? URI.create(endpoint) : DEFAULT_HUB,
                token,
                4, 5, Duration.ofSeconds(60), Duration.ofMillis(500), 4096);
    }

    /**
     * The hub token as {@code huggingface_hub} finds it: {@code HF_TOKEN}, then the legacy {@code HUGGING_FACE_HUB_TOKEN},
     * then the token file {@code huggingface-cli login} writes — {@code HF_TOKEN_PATH}, else {@code $HF_HOME/token},
     * else {@code ~/.cache/huggingface/token} ({@code $XDG_CACHE_HOME/huggingface/token} when that is set).
     *
     * @return the token, trimmed; null when none is set
     */
    static String hubToken(Map<String, String> env, Path home) {
        for (String name : List.of("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) return v.strip();
        }
        Path file;
        if (notBlank(env.get("HF_TOKEN_PATH"))) file = Path.of(env.get("HF_TOKEN_PATH"));
        else if (notBlank(env.get("HF_HOME"))) file = Path.of(env.get("HF_HOME")).resolve("token");
        else if (notBlank(env.get("XDG_CACHE_HOME"))) file = Path.of(env.get("XDG_CACHE_HOME")).resolve("huggingface/token");
        else file = home.resolve(".cache/huggingface/token");
        try {
            if (!java.nio.file.Files.isRegularFile(file)) return null;
            String t = java.nio.file.Files.readString(file).strip();
            return t.isEmpty() ? null : t;
        } catch (java.io.IOException | RuntimeException e) {
            return null; // an unreadable token file is the same as none: public repositories still download
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? null : v;
    }

    public ModelsOptions withModelsRoot(Path p) {
        return new ModelsOptions(p, appHome, downloadsRoot, benchFile, hubEndpoint, hubToken, parallelDownloads, downloadRetries, stallTimeout, progressInterval, contextTokens);
    }

    public ModelsOptions withAppHome(Path p) {
        return new ModelsOptions(modelsRoot, p, downloadsRoot, benchFile, hubEndpoint, hubToken, parallelDownloads, downloadRetries, stallTimeout, progressInterval, contextTokens);
    }

    public ModelsOptions withHub(URI endpoint, int parallel, int retries) {
        return new ModelsOptions(modelsRoot, appHome, downloadsRoot, benchFile, endpoint, hubToken, parallel, retries, stallTimeout, progressInterval, contextTokens);
    }

    public ModelsOptions withBenchFile(Path p) {
        return new ModelsOptions(modelsRoot, appHome, downloadsRoot, p, hubEndpoint, hubToken, parallelDownloads, downloadRetries, stallTimeout, progressInterval, contextTokens);
    }

    public ModelsOptions withTimings(Duration stall, Duration progress) {
        return new ModelsOptions(modelsRoot, appHome, downloadsRoot, benchFile, hubEndpoint, hubToken, parallelDownloads, downloadRetries, stall, progress, contextTokens);
    }
}
