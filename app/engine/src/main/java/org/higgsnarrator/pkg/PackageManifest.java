package org.higgsnarrator.pkg;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
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
 * @param precision     of the generation model's matrices ({@link Precision}: fp32, fp16, int8, int4)
 * @param model         the generation model's configuration
 * @param codec         the audio tokenizer's configuration (null if the package has no codec)
 * @param graphs        role id ({@link GraphIo.Role}) → graph; inputs and outputs as {@link GraphIo} declares them
 * @param tokenizer     file name of the Hugging Face tokenizer.json inside the package
 * @param sampling      generation defaults
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

    /** One ONNX graph: its file (weights as external data beside it) and its inputs and outputs. */
    public record GraphSpec(String file, List<String> externalData, List<TensorSpec> inputs, List<TensorSpec> outputs) {}

    /** A graph input or output. Symbolic dims are names ("batch", "seq", "past"); fixed dims are numbers as text. */
    public record TensorSpec(String name, ElementType dtype, List<String> shape) {}

    public record FileEntry(long size, String sha256) {}

    /** Official release defaults (see docs/higgs-model-spec): temperature 1.0, top-k 50, top-p 0.95, RAS 7/2. */
    public record SamplingDefaults(double temperature, int topK, double topP, int rasWindow, int rasMaxRepeats, int maxFrames) {
        public static SamplingDefaults release() {
            return new SamplingDefaults(1.0, 50, 0.95, 7, 2, 2048);
        }
    }
}
