package org.higgsnarrator.tensors;

import java.nio.file.Path;
import java.util.Arrays;

/** Where one tensor lives: its file, element type, shape and byte range within the file's data section. */
public record TensorInfo(String name, Path file, DType dtype, long[] shape, long begin, long end) {
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long byteSize() {
        return end - begin;
    }

    public int rank() {
        return shape.length;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** Fails with a clear message unless the shape is exactly {@code expected}. */
    public TensorInfo requireShape(String why, long... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new TensorFileException(file + ": tensor '" + name + "' has shape " + shapeString() + " but " + why
                    + " needs " + Arrays.toString(expected) + " — the checkpoint does not match its config.json");
        }
        return this;
    }
}
