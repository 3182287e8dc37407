package org.higgsnarrator.export;

import java.util.List;

/**
 * Row access to a [rows, cols] weight matrix, read in row ranges so that a converter never holds a whole matrix: a
 * checkpoint tensor ({@link SourceTensor}) or several stacked into one ({@link Stacked}).
 */
interface MatrixRows {
    long rows();

    int cols();

    /** Copies {@code count} consecutive elements of row {@code row} starting at column {@code col} into dst[off..]. */
    void read(long row, int col, int count, float[] dst, int off);

    /**
     * The row-wise concatenation of matrices of one width, each multiplied by its own factor: the fused projections
     * of {@link HiggsGraphs} ([q | k | v] with the attention scale in q's rows, [gate | up]). Each output row of a
     * stacked matrix is one row of one part, so a block quantizer (blocks along a row) gives every part the codes it
     * would get alone.
     */
    record Stacked(List<? extends MatrixRows> parts, float[] factors) implements MatrixRows {
        public Stacked {
            if (parts.size() != factors.length) throw new IllegalArgumentException(parts.size() + " parts, " + factors.length + " factors");
            for (MatrixRows p : parts) {
                if (p.cols() != parts.getFirst().cols()) {
                    throw new IllegalArgumentException("stacked matrices differ in width: " + p.cols() + " vs " + parts.getFirst().cols());
                }
            }
        }

        @Override
        public long rows() {
            return parts.stream().mapToLong(MatrixRows::rows).sum();
        }

        @Override
        public int cols() {
            return parts.getFirst().cols();
        }

        @Override
        public void read(long row, int col, int count, float[] dst, int off) {
            long r = row;
            for (int i = 0; i < parts.size(); i++) {
                MatrixRows p = parts.get(i);
                if (r < p.rows()) {
                    p.read(r, col, count, dst, off);
                    if (factors[i] != 1f) for (int j = off; j < off + count; j++) dst[j] *= factors[i];
                    return;
                }
                r -= p.rows();
            }
            throw new IndexOutOfBoundsException("row " + row + " of " + rows());
        }
    }
}
