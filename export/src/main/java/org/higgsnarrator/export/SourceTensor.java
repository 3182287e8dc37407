package org.higgsnarrator.export;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.higgsnarrator.tensors.TensorInfo;
import org.higgsnarrator.tensors.Tensors;

/**
 * One logical weight of the checkpoint, read straight from the memory-mapped files: either a single tensor or the
 * row-wise concatenation of several ({@code *_frozen} + {@code *_trainable} splits). Reads are row ranges, so a
 * converter never holds a whole matrix.
 *
 * @param name  canonical (official-layout) name
 * @param shape [rows, cols] for matrices, [n] for vectors
 */
public record SourceTensor(String name, long[] shape, List<Part> parts) implements MatrixRows {

    /** A contiguous block of rows from one file tensor. */
    public record Part(TensorInfo info, MemorySegment data, long rows) {}

    @Override
    public long rows() {
        return shape[0];
    }

    @Override
    public int cols() {
        return shape.length == 1 ? 1 : Math.toIntExact(shape[1]);
    }

    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Copies {@code count} consecutive elements of row {@code row} starting at column {@code col} into dst[off..]. */
    @Override
    public void read(long row, int col, int count, float[] dst, int off) {
        long r = row;
        for (Part p : parts) {
            if (r < p.rows) {
                Tensors.copyFloats(p.data, p.info.dtype(), r * cols() + col, dst, off, count);
                return;
            }
            r -= p.rows;
        }
        throw new IndexOutOfBoundsException(name + ": row " + row + " of " + rows());
    }

    /** The whole tensor as floats (only for small tensors: norms, the tiny model). */
    public float[] all() {
        float[] out = new float[Math.toIntExact(numel())];
        int c = cols();
        for (long r = 0; r < rows(); r++) read(r, 0, c, out, (int) (r * c));
        return out;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
