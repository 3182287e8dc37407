package org.higgsnarrator.tensors;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * A named collection of tensors (one safetensors file or a sharded checkpoint). Data is memory-mapped: reading a
 * tensor never loads the whole file into the heap. Close it to unmap.
 */
public interface TensorSource extends AutoCloseable {
    Set<String> names();

    boolean contains(String name);

    /** @throws TensorFileException naming the tensor and the files searched when absent */
    TensorInfo info(String name);

    /** The raw little-endian bytes of a tensor, valid until {@link #close()}. */
    MemorySegment bytes(String name);

    /** The tensor converted to float32 (from F32, F16, BF16 or F64). Allocates numel floats on the heap. */
    default float[] floats(String name) {
        TensorInfo t = info(name);
        return Tensors.toFloats(bytes(name), t);
    }

    /** The tensor converted to long (from I64, I32, I16, I8, U8 or BOOL). */
    default long[] longs(String name) {
        TensorInfo t = info(name);
        return Tensors.toLongs(bytes(name), t);
    }

    @Override
    void close();
}
