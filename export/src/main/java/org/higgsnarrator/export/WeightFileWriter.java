package org.higgsnarrator.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Appends tensors to one external-data file (shared by every graph of a package) through a small direct buffer,
 * hashing as it goes: the converter's heap never holds more than one buffer and one row block. Large tensors start
 * at a 64 KiB boundary so ONNX Runtime can memory-map them (and sessions share the pages).
 */
public final class WeightFileWriter implements AutoCloseable {
    /** Offsets of tensors of at least this size are aligned to it (ORT maps external data on allocation-granularity offsets). */
    public static final int LARGE_ALIGN = 64 << 10;
    private static final int SMALL_ALIGN = 64;

    private final Path path;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final MessageDigest sha;
    private long pos;
    private long entryStart = -1;

    /** Where one tensor landed. */
    public record Entry(long offset, long length) {}

    public WeightFileWriter(Path path) {
        this.path = path;
        try {
            this.ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path path() {
        return path;
    }

    /** Starts a tensor of {@code bytes} bytes: pads to its alignment. */
    public void begin(long bytes) {
        if (entryStart >= 0) throw new IllegalStateException("previous tensor not ended");
        long align = bytes >= LARGE_ALIGN ? LARGE_ALIGN : SMALL_ALIGN;
        long pad = (align - pos % align) % align;
        for (long i = 0; i < pad; i++) putByte((byte) 0);
        entryStart = pos;
    }

    public Entry end() {
        Entry e = new Entry(entryStart, pos - entryStart);
        entryStart = -1;
        return e;
    }

    public void putByte(byte b) {
        ensure(1);
        buf.put(b);
        pos++;
    }

    public void putFloat(float f) {
        ensure(4);
        buf.putFloat(f);
        pos += 4;
    }

    public void putHalf(float f) {
        ensure(2);
        buf.putShort(Float.floatToFloat16(f));
        pos += 2;
    }

    public void putFloats(float[] a, int off, int n) {
        for (int i = 0; i < n; i++) putFloat(a[off + i]);
    }

    public void putHalves(float[] a, int off, int n) {
        for (int i = 0; i < n; i++) putHalf(a[off + i]);
    }

    private void ensure(int n) {
        if (buf.remaining() < n) flush();
    }

    private void flush() {
        buf.flip();
        sha.update(buf.duplicate());
        try {
            while (buf.hasRemaining()) ch.write(buf);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path + " failed (" + e.getMessage() + ") — is the disk full?", e);
        }
        buf.clear();
    }

    public long size() {
        return pos;
    }

    /** Flushes, syncs and returns the file's sha256 (hex). */
    public String finish() {
        flush();
        try {
            ch.force(true);
            ch.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + path + " failed: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public void close() {
        try {
            if (ch.isOpen()) ch.close();
        } catch (IOException ignored) {
            // the temp dir is removed anyway
        }
    }
}
