package org.higgsnarrator.audio;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Float samples read block by block (interleaved when there are several channels): how the encoders take audio that
 * must not be held whole in memory, such as a long-form render's float file (hours of audio).
 */
public interface FloatReader extends Closeable {
    /** Reads up to {@code len} samples into {@code dst[off..]}; returns how many, or -1 at the end. */
    int read(float[] dst, int off, int len) throws IOException;

    @Override
    default void close() throws IOException {}

    /** Fills {@code dst[off..off+len)} completely; {@code what} names the source in the error if it ends early. */
    default void readFully(float[] dst, int off, int len, Object what) throws IOException {
        while (len > 0) {
            int r = read(dst, off, len);
            if (r < 0) throw new EOFException(what + " ended early (" + len + " samples missing)");
            off += r;
            len -= r;
        }
    }

    /** Opens audio from its start, as often as a writer needs (FLAC reads its input twice). */
    @FunctionalInterface
    interface Source {
        FloatReader open() throws IOException;
    }

    /** {@code n} zero samples. */
    static FloatReader silence(long n) {
        return new FloatReader() {
            long left = n;

            @Override
            public int read(float[] dst, int off, int len) {
                if (left <= 0) return -1;
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(dst, off, off + k, 0f);
                left -= k;
                return k;
            }
        };
    }

    /**
     * The parts one after another, each opened when the previous one ends and closed when it ends: one part is open
     * at a time (a chapter's takes, read one file at a time).
     */
    static FloatReader concat(java.util.List<Source> parts) {
        return new FloatReader() {
            int next;
            FloatReader cur;

            @Override
            public int read(float[] dst, int off, int len) throws IOException {
                if (len == 0) return 0;
                while (true) {
                    if (cur == null) {
                        if (next >= parts.size()) return -1;
                        cur = parts.get(next++).open();
                    }
                    int r = cur.read(dst, off, len);
                    if (r >= 0) return r;
                    FloatReader done = cur;
                    cur = null;
                    done.close();
                }
            }

            @Override
            public void close() throws IOException {
                if (cur != null) cur.close();
                cur = null;
                next = parts.size();
            }
        };
    }

    /** The samples of an array. */
    static FloatReader of(float[] samples) {
        return new FloatReader() {
            int at;

            @Override
            public int read(float[] dst, int off, int len) {
                if (at >= samples.length) return -1;
                int n = Math.min(len, samples.length - at);
                System.arraycopy(samples, at, dst, off, n);
                at += n;
                return n;
            }
        };
    }

    /** A file of 32-bit little-endian floats (what {@code RenderCheckpoint} streams a render into), read with a 64 kB buffer. */
    static FloatReader open(Path floats) throws IOException {
        SeekableByteChannel ch = Files.newByteChannel(floats);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        buf.flip();
        return new FloatReader() {
            @Override
            public int read(float[] dst, int off, int len) throws IOException {
                if (buf.remaining() < 4) {
                    buf.compact();
                    while (buf.position() < 4) {
                        if (ch.read(buf) < 0) {
                            buf.flip();
                            return -1; // a trailing partial float (an interrupted write) is not a sample
                        }
                    }
                    buf.flip();
                }
                int n = Math.min(len, buf.remaining() / 4);
                for (int i = 0; i < n; i++) dst[off + i] = buf.getFloat();
                return n;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
