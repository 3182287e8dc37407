package org.higgsnarrator.pkg;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.config.CodecConfig;
import org.higgsnarrator.config.ModelConfig;

/**
 * {@code manifest.json} of a model package (format documented in docs/model-package.md). The converter writes it;
 * the engine reads nothing else to learn about a model.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; the engine refuses newer packages
 * @param name          human-readable model name
 * @param randomWeights true for test packages (like the bundled tiny one): they exercise the pipeline, they do not speak
 * @param precision     of the generation model's matrices ({@link Precision}: fp32, fp16, int8, int4, int8-fp16, int4-fp16)
 * @param model         the generation model's configuration
 * @param codec         the audio tokenizer's configuration (null if the package has no codec)
 * @param graphs        role id ({@link GraphIo.Role}) → graph; inputs and outputs as {@link GraphIo} declares them
 * @param tokenizer     file name of the Hugging Face tokenizer.json inside the package
 * @param sampling      the model's sampling defaults: what the engine and the studio start from (null in packages
 *                      written before the field was read: then {@link SamplingDefaults#release()})
 * @param files         every file of the package (relative path) → size and sha256
 * @param source        where it was converted from (checkpoint folder name, layout), for the user's information
 * @param maxContext    positions the graphs' rotary tables cover: the largest KV cache a runtime may allocate
 * @param quantBlockSize MatMulNBits block size of int8/int4 packages (0 otherwise)
 */
public record PackageManifest(
        int formatVersion,
        String name,
        boolean randomWeights,
        Precision precision,
        ModelConfig model,
        CodecConfig codec,
        Map<String, GraphSpec> graphs,
        String tokenizer,
        SamplingDefaults sampling,
        Map<String, FileEntry> files,
        String source,
        int maxContext,
        int quantBlockSize) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    public static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    /**
     * Reads {@code dir/manifest.json}: the one place a manifest is parsed (the engine's {@link ModelPackage#open},
     * the model store, the studio and the bench all come here). Checks only that it is a manifest this version
     * reads; {@link ModelPackage#open} also checks the files it lists.
     *
     * @throws ModelPackage.PackageException naming the file and what to do
     */
    public static PackageManifest read(Path dir) {
        Path f = dir.resolve(FILE_NAME);
        PackageManifest m;
        try {
            m = GSON.fromJson(Files.readString(f), PackageManifest.class);
        } catch (NoSuchFileException e) {
            throw new ModelPackage.PackageException(dir + " is not a model package: " + FILE_NAME + " is missing (an interrupted export "
                    + "leaves none); choose a folder made by ./narrator export or ./narrator models import");
        } catch (IOException | JsonParseException e) {
            throw new ModelPackage.PackageException(f + ": unreadable manifest (" + (e instanceof JsonParseException ? org.higgsnarrator.io.JsonProblems.describe(e) : e.getMessage()) + "); export or import the package again", e);
        }
        if (m == null) throw new ModelPackage.PackageException(f + ": empty manifest; export or import the package again");
        if (m.formatVersion() > FORMAT_VERSION) {
            throw new ModelPackage.PackageException(f + ": package format " + m.formatVersion() + " is newer than this app reads ("
                    + FORMAT_VERSION + "); update Higgs Narrator or convert the checkpoint again with this version");
        }
        return m;
    }

    /** Whether {@code dir} holds a manifest (a package, or at least meant to be one). */
    public static boolean isPackage(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    /** One ONNX graph: its file (weights as external data beside it) and its inputs and outputs. */
    public record GraphSpec(String file, List<String> externalData, List<TensorSpec> inputs, List<TensorSpec> outputs) {}

    /** A graph input or output. Symbolic dims are names ("batch", "seq", "past"); fixed dims are numbers as text. */
    public record TensorSpec(String name, ElementType dtype, List<String> shape) {}

    public record FileEntry(long size, String sha256) {}

    /**
     * The model's sampling defaults, carried by the package. The converter writes {@link #release()}; the engine
     * ({@code Narrator.defaultOptions()}, {@code GenerationOptions.defaults()}), the CLI and the studio start from
     * the package's values. No other place in the code types these numbers.
     *
     * @param temperature   divides the logits before top-k/top-p
     * @param topK          keep the k most likely codes per codebook; 0 = off
     * @param topP          nucleus: the smallest set of codes whose probability reaches p; 1.0 = off
     * @param rasWindow     repetition-aware sampling window in frames; 0 = off
     * @param rasMaxRepeats a code seen this many times in the window is redrawn from the raw distribution
     * @param maxFrames     frame limit per generated chunk (25 frames = 1 s)
     */
    public record SamplingDefaults(double temperature, int topK, double topP, int rasWindow, int rasMaxRepeats, int maxFrames) {
        /**
         * The values Boson AI's release is used with (boson-ai/higgs-audio): temperature 0.3 as in every README example,
         * the long-form recipe included (README.md L139, examples/README.md L94; generation.py's bare option default
         * is 1.0), top-k 50 and top-p 0.95 (README.md L140-141, generation.py L534-545), RAS window 7 with at most 2
         * repeats (generation.py L546-557) and {@code max_new_tokens} 2048 (generation.py L510-515).
         */
        public static SamplingDefaults release() {
            return new SamplingDefaults(0.3, 50, 0.95, 7, 2, 2048);
        }
    }

    /**
     * Identifies the package's audio encoder in reference-code caches (12 hex digits): the SHA-256 over the encoder
     * graph's files' hashes as listed in {@code files}, so two packages with the same codec share cached codes and a
     * different codec never reads them; without an encoder or hashes, the package name and precision.
     */
    public String codecId() {
        StringBuilder sb = new StringBuilder();
        GraphSpec g = graphs == null ? null : graphs.get(GraphIo.Role.CODEC_ENCODER.id());
        if (g != null && files != null) {
            List<String> names = new java.util.ArrayList<>();
            names.add(g.file());
            if (g.externalData() != null) names.addAll(g.externalData());
            for (String f : names) {
                FileEntry e = files.get(f);
                if (e != null && e.sha256() != null) sb.append(e.sha256());
            }
        }
        if (sb.isEmpty()) sb.append(name).append('/').append(precision == null ? null : precision.id());
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The package's sampling defaults; {@link SamplingDefaults#release()} for packages written without them. */
    public SamplingDefaults samplingDefaults() {
        return sampling != null ? sampling : SamplingDefaults.release();
    }
}
