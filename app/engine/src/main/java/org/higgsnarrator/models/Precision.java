package org.higgsnarrator.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Storage precision of a package's weight matrices (the value of {@code precision} in its manifest). Sizes here are
 * what the size estimate assumes; see {@link ResourceEstimator} for the layout they describe.
 */
public enum Precision {
    FP32, FP16, INT8, INT4;

    /** Weights per quantization block (MatMulNBits block_size) and bytes per block scale (float32 scales). */
    static final int QUANT_BLOCK = 32;
    static final int SCALE_BYTES = 4;

    /** Bytes one weight of a matrix takes on disk and in memory, block scales included. */
    public double bytesPerMatrixWeight() {
        return switch (this) {
            case FP32 -> 4;
            case FP16 -> 2;
            case INT8 -> 1 + (double) SCALE_BYTES / QUANT_BLOCK;
            case INT4 -> 0.5 + (double) SCALE_BYTES / QUANT_BLOCK;
        };
    }

    /**
     * Bytes per weight of the embeddings and output heads: they stay at float precision (fp16 in the smaller
     * packages) because a gathered row or a logit is sensitive to quantization and they are a small share.
     */
    public double bytesPerEmbeddingWeight() {
        return this == FP32 ? 4 : 2;
    }

    /** The manifest spelling: fp32, fp16, int8, int4. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String s) {
        for (Precision p : values()) if (p.id().equalsIgnoreCase(s == null ? "" : s.trim())) return p;
        throw new IllegalArgumentException("unknown precision '" + s + "'; use one of "
                + Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id();
    }
}
