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
 * @param accuracyLevel MatMulNBits {@code accuracy_level} of the int8/int4 graphs: 0 = dequantize to fp32 and
 *                      multiply in fp32; 4 (default) = quantize the activations to int8 per block and use the CPU's
 *                      integer dot products. On ORT 1.29's CPU provider, 4 is what makes int8 usable at all (the
 *                      8-bit fp32 path is ~50× slower, docs/performance.md) and makes int4 decode ~1.9× faster, for a
 *                      small loss (measured in docs/performance.md); the CUDA provider ignores it
 * @param gqaRotary     rotary inside GroupQueryAttention (its {@code do_rotary}, fed the packed q|k|v projection) where
 *                      the head size allows it (a multiple of 16, ORT's requirement), instead of ~16 elementwise nodes
 *                      per layer before it (default true; false only to compare the two graphs, FusedRotaryTest)
 */
public record ExportOptions(Precision precision, int blockSize, int maxContext, String name, boolean randomWeights, boolean overwrite,
                            int accuracyLevel, boolean gqaRotary) {
    public ExportOptions {
        if (blockSize < 16 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("--block-size must be a power of two ≥ 16, got " + blockSize);
        }
        if (maxContext < 1) throw new IllegalArgumentException("--max-context must be positive, got " + maxContext);
        if (accuracyLevel < 0 || accuracyLevel > 4) {
            throw new IllegalArgumentException("--accuracy-level must be 0 (fp32 compute) … 4 (int8 compute), got " + accuracyLevel);
        }
    }

    public static ExportOptions defaults() {
        return new ExportOptions(Precision.FP32, 32, 32768, null, false, false, 4, true);
    }

    public ExportOptions withPrecision(Precision p) {
        return new ExportOptions(p, blockSize, maxContext, name, randomWeights, overwrite, accuracyLevel, gqaRotary);
    }

    public ExportOptions withName(String n, boolean random) {
        return new ExportOptions(precision, blockSize, maxContext, n, random, overwrite, accuracyLevel, gqaRotary);
    }

    public ExportOptions withOverwrite(boolean o) {
        return new ExportOptions(precision, blockSize, maxContext, name, randomWeights, o, accuracyLevel, gqaRotary);
    }

    public ExportOptions withBlockSize(int b) {
        return new ExportOptions(precision, b, maxContext, name, randomWeights, overwrite, accuracyLevel, gqaRotary);
    }

    public ExportOptions withAccuracyLevel(int a) {
        return new ExportOptions(precision, blockSize, maxContext, name, randomWeights, overwrite, a, gqaRotary);
    }

    public ExportOptions withMaxContext(int m) {
        return new ExportOptions(precision, blockSize, m, name, randomWeights, overwrite, accuracyLevel, gqaRotary);
    }

    public ExportOptions withGqaRotary(boolean on) {
        return new ExportOptions(precision, blockSize, maxContext, name, randomWeights, overwrite, accuracyLevel, on);
    }
}
