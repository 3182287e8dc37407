package org.higgsnarrator.tensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .safetensors} file, memory-mapped. Layout: u64 little-endian header length, a JSON header mapping
 * tensor names to {dtype, shape, data_offsets [begin, end)} relative to the data section, then the data.
 */
public final class SafeTensorsFile implements TensorSource {
    /** Headers beyond this size are not safetensors files (the format caps them at 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, Arena arena, MemorySegment data, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafeTensorsFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new TensorFileException(path + ": only " + size + " bytes; not a safetensors file (truncated or empty download?)");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 1 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new TensorFileException(path + ": bad safetensors header length " + headerLen + " for a file of " + size
                        + " bytes — the file is truncated or not a safetensors file; download it again");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            while (hb.hasRemaining()) {
                if (ch.read(hb, 8 + hb.position()) < 0) break;
            }
            String json = new String(hb.array(), StandardCharsets.UTF_8).strip();
            JsonObject header;
            try {
                header = JsonParser.parseString(json).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new TensorFileException(path + ": safetensors header is not valid JSON (" + e.getMessage() + "); the file is damaged", e);
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, TensorInfo> infos = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) meta.put(m.getKey(), m.getValue().getAsString());
                    continue;
                }
                infos.put(e.getKey(), parseInfo(path, e.getKey(), e.getValue().getAsJsonObject(), dataLen));
            }
            MemorySegment seg = dataLen == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLen, arena);
            return new SafeTensorsFile(path, arena, seg, Collections.unmodifiableMap(infos), Collections.unmodifiableMap(meta));
        } catch (NoSuchFileException e) {
            arena.close();
            throw new TensorFileException(path + ": file not found", e);
        } catch (IOException e) {
            arena.close();
            throw new TensorFileException(path + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static TensorInfo parseInfo(Path path, String name, JsonObject o, long dataLen) {
        String where = path + ": tensor '" + name + "'";
        try {
            DType dtype = DType.parse(o.get("dtype").getAsString(), where);
            var shapeArr = o.getAsJsonArray("shape");
            long[] shape = new long[shapeArr.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeArr.get(i).getAsLong();
                numel *= shape[i];
            }
            var off = o.getAsJsonArray("data_offsets");
            long begin = off.get(0).getAsLong(), end = off.get(1).getAsLong();
            if (end - begin != numel * dtype.bytes) {
                throw new TensorFileException(where + " has " + (end - begin) + " bytes but shape " + java.util.Arrays.toString(shape)
                        + " of " + dtype + " needs " + numel * dtype.bytes + "; the header is inconsistent");
            }
            if (begin < 0 || end > dataLen) {
                throw new TensorFileException(where + " ends at byte " + end + " of the data section but the file holds only " + dataLen
                        + " bytes of data — the file is truncated; download it again");
            }
            return new TensorInfo(name, path, dtype, shape, begin, end);
        } catch (TensorFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TensorFileException(where + ": malformed header entry " + o, e);
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new TensorFileException(path + ": no tensor named '" + name + "'" + Names.suggest(name, tensors.keySet()));
        return t;
    }

    @Override
    public MemorySegment bytes(String name) {
        TensorInfo t = info(name);
        return data.asSlice(t.begin(), t.byteSize());
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
