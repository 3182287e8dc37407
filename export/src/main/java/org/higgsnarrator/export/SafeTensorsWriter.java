package org.higgsnarrator.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.tensors.DType;

/**
 * Writes {@code .safetensors} files tensor by tensor (header first, then each tensor's bytes streamed from a
 * {@link Data} source), so files far larger than the heap can be produced: the transformers-layout test checkpoint,
 * synthetic full-size checkpoints for the memory benchmark.
 */
public final class SafeTensorsWriter {
    private SafeTensorsWriter() {}

    /** Produces a tensor's little-endian bytes into the channel, in order. */
    @FunctionalInterface
    public interface Data {
        void writeTo(FileChannel ch) throws IOException;

        /** Copies bytes from a (memory-mapped) segment. */
        static Data of(MemorySegment seg) {
            return ch -> {
                long done = 0, n = seg.byteSize();
                while (done < n) {
                    long len = Math.min(n - done, 8 << 20);
                    ByteBuffer b = seg.asSlice(done, len).asByteBuffer();
                    while (b.hasRemaining()) ch.write(b);
                    done += len;
                }
            };
        }
    }

    public record Entry(String name, DType dtype, long[] shape, Data data) {
        long bytes() {
            long n = dtype.bytes;
            for (long d : shape) n *= d;
            return n;
        }
    }

    public static void write(Path file, List<Entry> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject m = new JsonObject();
            metadata.forEach(m::addProperty);
            header.add("__metadata__", m);
        }
        long off = 0;
        for (Entry e : tensors) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.dtype().name());
            JsonArray shape = new JsonArray();
            for (long d : e.shape()) shape.add(d);
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(off);
            offsets.add(off + e.bytes());
            t.add("data_offsets", offsets);
            header.add(e.name(), t);
            off += e.bytes();
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8;
        ByteBuffer head = ByteBuffer.allocate(8 + json.length + pad).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(json.length + pad).put(json);
        for (int i = 0; i < pad; i++) head.put((byte) ' ');
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (head.hasRemaining()) ch.write(head);
            for (Entry e : tensors) {
                long before = ch.position();
                e.data().writeTo(ch);
                if (ch.position() - before != e.bytes()) {
                    throw new IllegalStateException(e.name() + ": wrote " + (ch.position() - before) + " bytes, expected " + e.bytes());
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }
}
