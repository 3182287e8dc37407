package org.higgsnarrator.export.codec;

import java.util.Arrays;

/** A float32 tensor held on the heap, row-major, as the converter reads it from a checkpoint. */
record Tensor(long[] shape, float[] data) {
    Tensor {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }

    int dim(int i) {
        return (int) shape[i < 0 ? shape.length + i : i];
    }

    int rank() {
        return shape.length;
    }

    String shapeString() {
        return Arrays.toString(shape);
    }
}
