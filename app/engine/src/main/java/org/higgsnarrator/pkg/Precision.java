package org.higgsnarrator.pkg;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a package stores the generation model's matrices (the manifest's {@code precision}). fp32/fp16 keep every weight
 * in that type (fp16 also computes in fp16: meant for CUDA). int8/int4 quantize the seven per-layer matrices
 * block-wise (com.microsoft MatMulNBits, asymmetric with zero points) and keep activations in fp32; embeddings are
 * stored fp16 and the audio head fp32, since those decide which code comes out and are cheap.
 */
public enum Precision {
    FP32, FP16, INT8, INT4;

    /** Weights per quantization block (MatMulNBits block_size, the converter's default) and bytes per block scale. */
    public static final int QUANT_BLOCK = 32;
    public static final int SCALE_BYTES = 4;

    public static Precision parse(String s) {
        for (Precision p : values()) if (p.id().equalsIgnoreCase(s == null ? "" : s.trim())) return p;
        throw new IllegalArgumentException("unknown precision '" + s + "'; use one of "
                + Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", ")));
    }

    public boolean quantized() {
        return this == INT8 || this == INT4;
    }

    /** Bits per quantized weight (0 for float precisions). */
    public int bits() {
        return this == INT8 ? 8 : this == INT4 ? 4 : 0;
    }

    /** Bytes one weight of a matrix takes on disk and in memory, block scales included (default block size). */
    public double bytesPerMatrixWeight() {
        return switch (this) {
            case FP32 -> 4;
            case FP16 -> 2;
            case INT8 -> 1 + (double) SCALE_BYTES / QUANT_BLOCK;
            case INT4 -> 0.5 + (double) SCALE_BYTES / QUANT_BLOCK;
        };
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

    /** The manifest spelling: fp32, fp16, int8, int4. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
