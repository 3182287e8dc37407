package org.higgsnarrator.export;

import org.higgsnarrator.pkg.Precision;
/**
 * Every tunable of a conversion, with defaults in {@link #defaults()}.
 *
 * @param precision     storage/compute precision of the generation model (default fp32)
 * @param blockSize     MatMulNBits block size along K for int8/int4 (default 32; a power of two ≥ 16)
 * @param maxContext    positions the rotary tables cover, capped by the config's max_position_embeddings (default
 *                      32768: long-form chunks with references and 2048 generated frames fit; tables cost
 *                      maxContext × head_dim × 4 bytes)
 * @param name          package name shown to users (null: the checkpoint folder's name)
 * @param randomWeights mark the package as a test package whose weights are random (the tiny kit model)
 * @param overwrite     replace an existing package at the output path
 */
public record ExportOptions(Precision precision, int blockSize, int maxContext, String name, boolean randomWeights, boolean overwrite) {
    public ExportOptions {
        if (blockSize < 16 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("--block-size must be a power of two ≥ 16, got " + blockSize);
        }
        if (maxContext < 1) throw new IllegalArgumentException("--max-context must be positive, got " + maxContext);
    }

    public static ExportOptions defaults() {
        return new ExportOptions(Precision.FP32, 32, 32768, null, false, false);
    }

    public ExportOptions withPrecision(Precision p) {
        return new ExportOptions(p, blockSize, maxContext, name, randomWeights, overwrite);
    }

    public ExportOptions withName(String n, boolean random) {
        return new ExportOptions(precision, blockSize, maxContext, n, random, overwrite);
    }

    public ExportOptions withOverwrite(boolean o) {
        return new ExportOptions(precision, blockSize, maxContext, name, randomWeights, o);
    }

    public ExportOptions withBlockSize(int b) {
        return new ExportOptions(precision, b, maxContext, name, randomWeights, overwrite);
    }

    public ExportOptions withMaxContext(int m) {
        return new ExportOptions(precision, blockSize, m, name, randomWeights, overwrite);
    }
}
