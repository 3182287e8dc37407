package org.higgsnarrator.pkg;

import com.google.gson.annotations.SerializedName;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a package stores the generation model's matrices (the manifest's {@code precision}). fp32/fp16 keep every weight
 * in that type (fp16 also computes in fp16: meant for CUDA). int8/int4 quantize the seven per-layer matrices
 * block-wise (com.microsoft MatMulNBits, asymmetric with zero points) and keep activations in fp32; embeddings are
 * stored fp16 and the audio head fp32, since those decide which code comes out and are cheap.
 *
 * <p>int8-fp16/int4-fp16 are the same quantized matrices with fp16 block scales, computing in fp16 between them with
 * an fp16 KV cache: the layout for CUDA, where ORT's GroupQueryAttention has fp16/bf16 kernels only (with fp32
 * activations all attention nodes fall back to the CPU) and MatMulNBits has its fp16 kernels. The audio head stays
 * 8-bit with fp32 scales on fp32 input, as in int8/int4.
 */
public enum Precision {
    @SerializedName(value = "fp32", alternate = "FP32") FP32,
    @SerializedName(value = "fp16", alternate = "FP16") FP16,
    @SerializedName(value = "int8", alternate = "INT8") INT8,
    @SerializedName(value = "int4", alternate = "INT4") INT4,
    @SerializedName(value = "int8-fp16", alternate = "INT8_FP16") INT8_FP16,
    @SerializedName(value = "int4-fp16", alternate = "INT4_FP16") INT4_FP16;

    /** Weights per quantization block (MatMulNBits block_size, the converter's default) and bytes per block scale. */
    public static final int QUANT_BLOCK = 32;
    public static final int SCALE_BYTES = 4;

    /** Reads the user's spelling (fp32, fp16, int8, int4, int8-fp16, int4-fp16; any case): the command line's one way in. */
    public static Precision parse(String s) {
        for (Precision p : values()) if (p.id().equalsIgnoreCase(s == null ? "" : s.trim())) return p;
        throw new IllegalArgumentException("unknown precision '" + s + "'; use one of "
                + Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", ")));
    }

    public boolean quantized() {
        return bits() > 0;
    }

    /** Bits per quantized weight (0 for float precisions). */
    public int bits() {
        return switch (this) {
            case INT8, INT8_FP16 -> 8;
            case INT4, INT4_FP16 -> 4;
            case FP32, FP16 -> 0;
        };
    }

    /** Bytes of one block scale of the layer matrices: 2 (fp16) in the fp16-activation packages, else 4. */
    public int scaleBytes() {
        return scaleType() == ElementType.FLOAT16 ? 2 : SCALE_BYTES;
    }

    /** Type of the layer matrices' MatMulNBits block scales: MatMulNBits takes them in its input's (the activations') type. */
    public ElementType scaleType() {
        return activationType();
    }

    /** Bytes one weight of a matrix takes on disk and in memory, block scales included (default block size). */
    public double bytesPerMatrixWeight() {
        return switch (this) {
            case FP32 -> 4;
            case FP16 -> 2;
            default -> bits() / 8.0 + (double) scaleBytes() / QUANT_BLOCK;
        };
    }

    /**
     * Whether ORT's CUDA GroupQueryAttention can run this package's attention (fp16 activations and KV): fp16,
     * int8-fp16, int4-fp16. The others put every attention node on the CPU under the CUDA provider.
     */
    public boolean attentionRunsOnCuda() {
        return kvType() == ElementType.FLOAT16;
    }

    /**
     * Bits of the audio head's weights in this precision's packages: 8 (MatMulNBits) in int8/int4 packages, 0 = stored
     * float32 (fp32, fp16). The head is read whole every decode step; 8 bits keep the per-codebook KL within int8's aim.
     */
    public int headBits() {
        return quantized() ? 8 : 0;
    }

    /** Bytes per weight of the audio head as stored (block scales and zero points included). */
    public double headBytesPerWeight() {
        return headBits() == 0 ? 4 : 1 + (double) SCALE_BYTES / QUANT_BLOCK + 1.0 / QUANT_BLOCK;
    }

    /** Bytes per weight of the embeddings and output heads: they stay at float precision (fp16 in the smaller packages). */
    public double bytesPerEmbeddingWeight() {
        return this == FP32 ? 4 : 2;
    }

    /**
     * Type the generation graphs compute in between matrices (norms, attention, residuals): fp16 for fp16, int8-fp16
     * and int4-fp16 packages (meant for CUDA), fp32 otherwise (int8/int4 dequantize into fp32 inside MatMulNBits).
     */
    public ElementType activationType() {
        return this == FP16 || this == INT8_FP16 || this == INT4_FP16 ? ElementType.FLOAT16 : ElementType.FLOAT32;
    }

    /** Type of the KV cache: the attention's activation type (GroupQueryAttention keeps K/V in the type it computes in). */
    public ElementType kvType() {
        return activationType();
    }

    /** Storage type of the per-layer matrices of float packages (quantized ones store MatMulNBits blocks instead). */
    public ElementType matrixType() {
        return this == FP16 ? ElementType.FLOAT16 : ElementType.FLOAT32;
    }

    /** Storage type of the embedding tables: fp32 only in FP32 packages (they are gathered, not multiplied, so fp16 is cheap). */
    public ElementType embeddingType() {
        return this == FP32 ? ElementType.FLOAT32 : ElementType.FLOAT16;
    }

    /** The manifest spelling: fp32, fp16, int8, int4, int8-fp16, int4-fp16. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return id();
    }
}
