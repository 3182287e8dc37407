package org.higgsnarrator.export;

import java.util.Locale;

/**
 * How the generation model's matrices are stored. fp32/fp16 keep every weight in that type (fp16 also computes in
 * fp16: meant for CUDA). int8/int4 quantize the seven per-layer matrices block-wise (com.microsoft MatMulNBits,
 * asymmetric with zero points) and keep activations in fp32; embeddings are stored fp16 and the audio head fp32,
 * since those decide which code comes out and are cheap.
 */
public enum Precision {
    FP32, FP16, INT8, INT4;

    public static Precision parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + s + "'; use fp32, fp16, int8 or int4");
        }
    }

    public boolean quantized() {
        return this == INT8 || this == INT4;
    }

    public int bits() {
        return this == INT8 ? 8 : this == INT4 ? 4 : 0;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
