package org.higgsnarrator.tensors;

/** Element types of safetensors files that Higgs checkpoints and the conformance kit use. */
public enum DType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    static DType parse(String s, String where) {
        try {
            return valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new TensorFileException(where + ": unsupported dtype '" + s + "' (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
        }
    }
}
