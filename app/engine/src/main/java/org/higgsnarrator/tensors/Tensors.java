package org.higgsnarrator.tensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Element conversions for memory-mapped tensor data (safetensors is little-endian). */
public final class Tensors {
    private Tensors() {}

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Reads element {@code i} of a float tensor as float32. */
    public static float floatAt(MemorySegment seg, DType dtype, long i) {
        return switch (dtype) {
            case F32 -> seg.getAtIndex(F32, i);
            case F16 -> Float.float16ToFloat(seg.getAtIndex(I16, i));
            case BF16 -> bf16ToFloat(seg.getAtIndex(I16, i));
            case F64 -> (float) seg.getAtIndex(F64, i);
            default -> throw new TensorFileException("expected a float tensor, got " + dtype);
        };
    }

    /** Copies {@code count} elements starting at element {@code from} into {@code dst[dstPos..]} as float32. */
    public static void copyFloats(MemorySegment seg, DType dtype, long from, float[] dst, int dstPos, int count) {
        if (dtype == DType.F32) {
            MemorySegment.copy(seg, F32, from * 4, dst, dstPos, count);
            return;
        }
        for (int i = 0; i < count; i++) dst[dstPos + i] = floatAt(seg, dtype, from + i);
    }

    static float[] toFloats(MemorySegment seg, TensorInfo t) {
        if (!t.dtype().isFloat()) {
            throw new TensorFileException(t.file() + ": tensor '" + t.name() + "' is " + t.dtype() + ", expected a float type");
        }
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new TensorFileException(t.file() + ": tensor '" + t.name() + "' has " + n + " elements: too large for one array; stream it in rows");
        }
        float[] out = new float[(int) n];
        copyFloats(seg, t.dtype(), 0, out, 0, (int) n);
        return out;
    }

    static long[] toLongs(MemorySegment seg, TensorInfo t) {
        int n = Math.toIntExact(t.numel());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.dtype()) {
                case I64 -> seg.getAtIndex(I64, i);
                case I32 -> seg.getAtIndex(I32, i);
                case I16 -> seg.getAtIndex(I16, i);
                case I8 -> seg.get(ValueLayout.JAVA_BYTE, i);
                case U8, BOOL -> seg.get(ValueLayout.JAVA_BYTE, i) & 0xff;
                default -> throw new TensorFileException(t.file() + ": tensor '" + t.name() + "' is " + t.dtype() + ", expected an integer type");
            };
        }
        return out;
    }
}
