package org.higgsnarrator.pkg;

import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.pkg.PackageManifest.GraphSpec;
import org.higgsnarrator.pkg.PackageManifest.TensorSpec;

/**
 * The I/O contract of every graph in a model package, in one table: each graph's role, and each input and output
 * with its name, element type and shape (like onnxruntime-genai's {@code genai_config.json} {@code inputs}/{@code
 * outputs} section). The converter declares its graphs from this table and writes it into the manifest; the runtime
 * feeds and reads tensors by these names; bench and conformance code reach the graphs only through the runtime.
 * A name spelled anywhere else is a bug.
 *
 * <p>Shapes: a fixed dimension is a number (as text in the manifest); a symbolic one is one of the names below.
 */
public final class GraphIo {
    private GraphIo() {}

    /** The graphs a package holds; the id is the manifest's {@code graphs} key and the file's base name. */
    public enum Role {
        PREFILL("prefill"), DECODE_STEP("decode_step"), CODEC_ENCODER("codec_encoder"), CODEC_DECODER("codec_decoder");

        private final String id;

        Role(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The graph's file name in a package: {@code <id>.onnx}. */
        public String fileName() {
            return id + ".onnx";
        }

        @Override
        public String toString() {
            return id;
        }
    }

    // ---- generation graphs (prefill, decode_step) ----
    /** [1, sequence] int64 text token ids (prefill only; a decode step is all audio). */
    public static final String INPUT_IDS = "input_ids";
    /** [1, sequence, codebooks] int64: each audio position's codes (ignored at text positions). */
    public static final String AUDIO_CODES = "audio_codes";
    /** [1, sequence] int64 absolute positions (rotary). */
    public static final String POSITION_IDS = "position_ids";
    /** [1] int32: total positions after this run − 1 (GroupQueryAttention's seqlens_k). */
    public static final String SEQLENS_K = "seqlens_k";
    /** [] int32: total positions after this run. */
    public static final String TOTAL_SEQUENCE_LENGTH = "total_sequence_length";
    /** [logits_positions] int64: which prompt positions get logits (prefill only). */
    public static final String LOGITS_INDEX = "logits_index";
    /** [1, positions, codebooks, codebook entries] float32. */
    public static final String LOGITS = "logits";
    private static final String PAST = "past_key_values.", PRESENT = "present.";

    // ---- codec graphs ----
    /** [1, 1, samples] float32 mono waveform at the codec's rate. */
    public static final String WAVEFORM = "waveform";
    /** [1, codebooks, frames] int64 codes. */
    public static final String CODES = "codes";

    // ---- symbolic dimensions ----
    public static final String BATCH = "batch", SEQUENCE = "sequence", MAX_CONTEXT = "max_context", LOGITS_POSITIONS = "logits_positions",
            FRAMES = "frames", SAMPLES = "samples";

    /** KV cache input of a layer: [1, kv_heads, max_context, head_dim] of the package's KV type. */
    public static String pastKey(int layer) {
        return PAST + layer + ".key";
    }

    public static String pastValue(int layer) {
        return PAST + layer + ".value";
    }

    /** KV cache output of a layer; the runtime binds it to the same buffer as the past input. */
    public static String presentKey(int layer) {
        return PRESENT + layer + ".key";
    }

    public static String presentValue(int layer) {
        return PRESENT + layer + ".value";
    }

    static boolean isPast(String name) {
        return name.startsWith(PAST);
    }

    /** The inputs and outputs of one graph. */
    public record Io(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        public GraphSpec spec(String file, List<String> externalData) {
            return new GraphSpec(file, externalData, inputs, outputs);
        }
    }

    /**
     * {@code prefill} or {@code decode_step} of a model with KV cache elements of type {@code kv}. The prefill runs one
     * sequence (batch 1); the decode step takes a symbolic {@link #BATCH} of sequences, each with its own KV slot
     * ({@code [batch, kv_heads, max_context, head_dim]}, one slot contiguous) and its own length ({@code seqlens_k
     * [batch]}); {@code total_sequence_length} is the longest slot's.
     */
    public static Io generation(Role role, ModelConfig c, ElementType kv) {
        boolean prefill = switch (role) {
            case PREFILL -> true;
            case DECODE_STEP -> false;
            default -> throw new IllegalArgumentException(role + " is not a generation graph");
        };
        String k = dim(c.numCodebooks()), kvh = dim(c.numKvHeads()), hd = dim(c.headDim());
        String b = prefill ? "1" : BATCH;
        List<TensorSpec> in = new ArrayList<>(), out = new ArrayList<>();
        if (prefill) in.add(t(INPUT_IDS, ElementType.INT64, "1", SEQUENCE));
        in.add(t(AUDIO_CODES, ElementType.INT64, b, SEQUENCE, k));
        in.add(t(POSITION_IDS, ElementType.INT64, b, SEQUENCE));
        in.add(t(SEQLENS_K, ElementType.INT32, b));
        in.add(t(TOTAL_SEQUENCE_LENGTH, ElementType.INT32));
        if (prefill) in.add(t(LOGITS_INDEX, ElementType.INT64, LOGITS_POSITIONS));
        out.add(t(LOGITS, ElementType.FLOAT32, b, prefill ? LOGITS_POSITIONS : SEQUENCE, k, dim(c.codebookEntries())));
        for (int l = 0; l < c.numLayers(); l++) {
            in.add(t(pastKey(l), kv, b, kvh, MAX_CONTEXT, hd));
            in.add(t(pastValue(l), kv, b, kvh, MAX_CONTEXT, hd));
            out.add(t(presentKey(l), kv, b, kvh, MAX_CONTEXT, hd));
            out.add(t(presentValue(l), kv, b, kvh, MAX_CONTEXT, hd));
        }
        return new Io(List.copyOf(in), List.copyOf(out));
    }

    /** {@code codec_encoder} (waveform → codes) or {@code codec_decoder} (codes → waveform). */
    public static Io codec(Role role, int codebooks, int hopLength) {
        TensorSpec codes = t(CODES, ElementType.INT64, "1", dim(codebooks), FRAMES);
        return switch (role) {
            case CODEC_ENCODER -> new Io(List.of(t(WAVEFORM, ElementType.FLOAT32, "1", "1", SAMPLES)), List.of(codes));
            case CODEC_DECODER -> new Io(List.of(codes), List.of(t(WAVEFORM, ElementType.FLOAT32, "1", "1", FRAMES + "*" + hopLength)));
            default -> throw new IllegalArgumentException(role + " is not a codec graph");
        };
    }

    private static TensorSpec t(String name, ElementType type, String... shape) {
        return new TensorSpec(name, type, List.of(shape));
    }

    private static String dim(int n) {
        return Integer.toString(n);
    }
}
