package org.higgsnarrator.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

/**
 * Turns checkpoint tensors into initializer bytes in the shared weight file: plain or transposed (row blocks, so the
 * heap holds at most {@link #BLOCK_BYTES}), as float32 or float16, or block-quantized for MatMulNBits.
 */
final class WeightEncoder {
    /** Heap budget of one transposition block. */
    static final int BLOCK_BYTES = 16 << 20;

    /** An initializer written to the weight file. */
    record Stored(String name, DataType type, long[] dims, WeightFileWriter.Entry entry) {}

    /** MatMulNBits operands: B [N, blocks, blob], scales [N*blocks], zero points [N*ceil(blocks*bits/8)]. */
    record Quantized(Stored b, Stored scales, Stored zeros, int n, int k, int bits, int blockSize) {}

    /** Clip search of the block quantizer: ranges from 100 % down to MIN_CLIP of min/max in CLIP_STEPS steps. */
    static final int CLIP_STEPS = 20;
    static final float MIN_CLIP = 0.5f;

    private final WeightFileWriter out;

    WeightEncoder(WeightFileWriter out) {
        this.out = out;
    }

    private static int elemBytes(DataType t) {
        return t == DataType.FLOAT ? 4 : 2;
    }

    private void put(DataType t, float[] a, int off, int n) {
        if (t == DataType.FLOAT) out.putFloats(a, off, n);
        else out.putHalves(a, off, n);
    }

    /** The tensor as stored in the checkpoint ([rows, cols] or [n]). */
    Stored plain(SourceTensor t, String name, DataType type) {
        int cols = t.cols();
        out.begin(t.numel() * elemBytes(type));
        float[] row = new float[cols];
        for (long r = 0; r < t.rows(); r++) {
            t.read(r, 0, cols, row, 0);
            put(type, row, 0, cols);
        }
        return new Stored(name, type, t.shape().clone(), out.end());
    }

    /** [rows, cols] → [cols, rows], so that {@code x @ W^T} becomes a plain MatMul. */
    Stored transposed(MatrixRows t, String name, DataType type) {
        int rows = Math.toIntExact(t.rows()), cols = t.cols();
        int band = Math.max(1, Math.min(cols, BLOCK_BYTES / 4 / rows)); // output rows per block
        float[] tmp = new float[band * rows];
        float[] seg = new float[band];
        out.begin((long) rows * cols * elemBytes(type));
        for (int c0 = 0; c0 < cols; c0 += band) {
            int w = Math.min(band, cols - c0);
            for (int r = 0; r < rows; r++) {
                t.read(r, c0, w, seg, 0);
                for (int j = 0; j < w; j++) tmp[j * rows + r] = seg[j];
            }
            put(type, tmp, 0, w * rows);
        }
        return new Stored(name, type, new long[] {cols, rows}, out.end());
    }

    Stored floats(String name, float[] data, long[] dims, DataType type) {
        out.begin((long) data.length * elemBytes(type));
        put(type, data, 0, data.length);
        return new Stored(name, type, dims, out.end());
    }

    /**
     * Asymmetric block quantization of W [N, K] along K (the layout MatMulNBits wants: no transposition):
     * per block min/max widened to include 0, scale = (max-min)/(2^bits-1), zero point = round(-min/scale).
     */
    Quantized quantized(MatrixRows t, String name, int bits, int blockSize) {
        return quantized(t, name, bits, blockSize, DataType.FLOAT);
    }

    /**
     * @param scaleType FLOAT or FLOAT16: MatMulNBits takes its scales in its input's type. fp16 scales are rounded to
     *                  fp16 before the weights are quantized with them, so the stored codes fit the stored scale.
     */
    Quantized quantized(MatrixRows t, String name, int bits, int blockSize, DataType scaleType) {
        boolean half = scaleType == DataType.FLOAT16;
        if (!half && scaleType != DataType.FLOAT) throw new IllegalArgumentException("block scales are float or float16, not " + scaleType);
        int n = Math.toIntExact(t.rows()), k = t.cols();
        int blocks = (k + blockSize - 1) / blockSize;
        int blob = blockSize * bits / 8;
        int levels = (1 << bits) - 1;
        float[] scales = new float[n * blocks];
        int zpRow = (blocks * bits + 7) / 8;
        byte[] zeros = new byte[n * zpRow];
        float[] row = new float[blocks * blockSize];
        int[] q = new int[blockSize];
        out.begin((long) n * blocks * blob);
        for (int r = 0; r < n; r++) {
            java.util.Arrays.fill(row, 0f);
            t.read(r, 0, k, row, 0);
            for (int b = 0; b < blocks; b++) {
                int base = b * blockSize;
                float min = 0, max = 0;
                for (int i = 0; i < blockSize; i++) {
                    float v = row[base + i];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                // clip search: shrinking the range trades clipping of outliers for finer steps; keep the lowest MSE
                float bestErr = Float.POSITIVE_INFINITY, scale = 1;
                int zp = 0;
                for (int step = 0; step <= CLIP_STEPS; step++) {
                    float shrink = 1f - step * (1f - MIN_CLIP) / CLIP_STEPS;
                    float lo = min * shrink, hi = max * shrink;
                    float sc = (hi - lo) / levels;
                    if (sc == 0) sc = 1;
                    int z = Math.clamp(Math.round(-lo / sc), 0, levels);
                    float err = 0;
                    for (int i = 0; i < blockSize; i++) {
                        float v = row[base + i];
                        float d = (Math.clamp(Math.round(v / sc) + z, 0, levels) - z) * sc - v;
                        err += d * d;
                    }
                    if (err < bestErr) {
                        bestErr = err;
                        scale = sc;
                        zp = z;
                    }
                }
                if (half) {
                    // a block of near-zero weights may round to 0: the smallest fp16 step still codes them as ≈0
                    scale = Math.max(Float.float16ToFloat(Float.floatToFloat16(scale)), Float.float16ToFloat((short) 1));
                    if (Float.isInfinite(scale)) {
                        throw new IllegalStateException(name + ": a block scale does not fit float16 (" + scale + "); export this checkpoint at int8/int4 (fp32 scales)");
                    }
                }
                scales[r * blocks + b] = scale;
                for (int i = 0; i < blockSize; i++) q[i] = Math.clamp(Math.round(row[base + i] / scale) + zp, 0, levels);
                if (bits == 8) {
                    for (int i = 0; i < blockSize; i++) out.putByte((byte) q[i]);
                    zeros[r * zpRow + b] = (byte) zp;
                } else {
                    for (int i = 0; i < blockSize; i += 2) out.putByte((byte) (q[i] | (q[i + 1] << 4)));
                    int zi = r * zpRow + b / 2;
                    zeros[zi] = (byte) (b % 2 == 0 ? (zeros[zi] & 0xf0) | zp : (zeros[zi] & 0x0f) | (zp << 4));
                }
            }
        }
        Stored bs = new Stored(name + ".qweight", DataType.UINT8, new long[] {n, blocks, blob}, out.end());
        Stored ss = floats(name + ".scales", scales, new long[] {(long) n * blocks}, scaleType);
        out.begin(zeros.length);
        for (byte z : zeros) out.putByte(z);
        Stored zs = new Stored(name + ".zeros", DataType.UINT8, new long[] {zeros.length}, out.end());
        return new Quantized(bs, ss, zs, n, k, bits, blockSize);
    }
}
