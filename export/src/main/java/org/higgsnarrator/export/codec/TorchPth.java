package org.higgsnarrator.export.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch {@code torch.save} zip checkpoint ({@code model.pth}) without Python and without running code: a
 * restricted unpickler that understands only the opcodes a state dict uses and only these globals:
 * {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter}
 * and the typed storage classes ({@code torch.FloatStorage}, …). Any other global is refused, so a malicious pickle
 * cannot make this reader do anything but fail. Tensor data is read lazily from the {@code <archive>/data/<key>}
 * entries and materialized as float32.
 */
final class TorchPth implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final Map<String, Supplier<Tensor>> tensors = new LinkedHashMap<>();

    private TorchPth(Path file) throws IOException {
        this.file = file;
        this.zip = new ZipFile(file.toFile());
        ZipEntry pkl = null;
        for (var en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            if (e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl")) {
                pkl = e;
                break;
            }
        }
        if (pkl == null) {
            throw new IOException(file + " is not a PyTorch zip checkpoint (no data.pkl inside); re-save it with torch.save(state_dict, path) from torch >= 1.6");
        }
        prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
        byte[] bytes;
        try (InputStream in = zip.getInputStream(pkl)) {
            bytes = in.readAllBytes();
        }
        Object root = new Unpickler(bytes).load();
        if (root instanceof Map<?, ?> m && m.containsKey("state_dict") && m.get("state_dict") instanceof Map<?, ?> sd) root = sd;
        if (!(root instanceof Map<?, ?> map)) {
            throw new IOException(file + ": the pickle holds " + describe(root) + ", expected a state dict (name → tensor)");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String name && e.getValue() instanceof TensorRef ref) tensors.put(name, () -> materialize(name, ref));
        }
    }

    static TorchPth open(Path file) {
        try {
            return new TorchPth(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** name → lazily read tensor, in the pickle's order. */
    Map<String, Supplier<Tensor>> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    // ---- tensors ----------------------------------------------------------------------------------------------------

    private record StorageType(String name, int bytes) {}

    private record Storage(StorageType type, String key) {}

    private record TensorRef(Storage storage, long offset, long[] size, long[] stride) {}

    private Tensor materialize(String name, TensorRef ref) {
        ZipEntry e = zip.getEntry(prefix + "data/" + ref.storage.key);
        if (e == null) throw new UncheckedIOException(new IOException(file + ": tensor '" + name + "' points at missing storage data/" + ref.storage.key));
        byte[] raw;
        try (InputStream in = zip.getInputStream(e)) {
            raw = in.readAllBytes();
        } catch (IOException x) {
            throw new UncheckedIOException(file + ": cannot read storage of '" + name + "': " + x.getMessage(), x);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int rank = ref.size.length;
        long n = 1;
        for (long s : ref.size) n *= s;
        float[] out = new float[Math.toIntExact(n)];
        long[] idx = new long[rank];
        for (int i = 0; i < out.length; i++) {
            long pos = ref.offset;
            for (int d = 0; d < rank; d++) pos += idx[d] * ref.stride[d];
            out[i] = element(b, ref.storage.type, pos, name);
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < ref.size[d]) break;
                idx[d] = 0;
            }
        }
        return new Tensor(ref.size.clone(), out);
    }

    private float element(ByteBuffer b, StorageType t, long i, String name) {
        int at = Math.toIntExact(i * t.bytes);
        return switch (t.name) {
            case "FloatStorage" -> b.getFloat(at);
            case "DoubleStorage" -> (float) b.getDouble(at);
            case "HalfStorage" -> Float.float16ToFloat(b.getShort(at));
            case "BFloat16Storage" -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            case "LongStorage" -> b.getLong(at);
            case "IntStorage" -> b.getInt(at);
            case "BoolStorage", "ByteStorage" -> b.get(at) & 0xff;
            default -> throw new UncheckedIOException(new IOException(file + ": tensor '" + name + "' has unsupported storage " + t.name));
        };
    }

    private static final Map<String, Integer> STORAGE_BYTES = Map.of(
            "FloatStorage", 4, "DoubleStorage", 8, "HalfStorage", 2, "BFloat16Storage", 2,
            "LongStorage", 8, "IntStorage", 4, "BoolStorage", 1, "ByteStorage", 1);

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    // ---- the restricted unpickler -----------------------------------------------------------------------------------

    /** A global the unpickler allows; calling it (REDUCE) is interpreted here, never executed. */
    private record Global(String module, String name) {}

    private static final Object MARK = new Object();

    private final class Unpickler {
        private final ByteBuffer in;
        private final List<Object> stack = new ArrayList<>();
        private final Map<Integer, Object> memo = new HashMap<>();

        Unpickler(byte[] data) {
            in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }

        Object load() throws IOException {
            while (true) {
                int op = in.get() & 0xff;
                switch (op) {
                    case 0x80 -> in.get(); // PROTO
                    case 0x95 -> in.getLong(); // FRAME
                    case '.' -> { // STOP
                        return pop();
                    }
                    case '(' -> stack.add(MARK);
                    case '}' -> stack.add(new LinkedHashMap<>());
                    case ']' -> stack.add(new ArrayList<>());
                    case ')' -> stack.add(List.of());
                    case 'N' -> stack.add(null);
                    case 0x88 -> stack.add(Boolean.TRUE);
                    case 0x89 -> stack.add(Boolean.FALSE);
                    case 'K' -> stack.add((long) (in.get() & 0xff));
                    case 'M' -> stack.add((long) (in.getShort() & 0xffff));
                    case 'J' -> stack.add((long) in.getInt());
                    case 0x8a -> { // LONG1
                        int n = in.get() & 0xff;
                        long v = 0;
                        for (int i = 0; i < n; i++) v |= (long) (in.get() & 0xff) << (8 * i);
                        if (n > 0 && n < 8 && (v >> (8 * n - 1) & 1) == 1) v -= 1L << (8 * n);
                        stack.add(v);
                    }
                    case 'G' -> { // BINFLOAT is big-endian
                        in.order(ByteOrder.BIG_ENDIAN);
                        double d = in.getDouble();
                        in.order(ByteOrder.LITTLE_ENDIAN);
                        stack.add(d);
                    }
                    case 'X' -> stack.add(string(in.getInt()));
                    case 0x8c -> stack.add(string(in.get() & 0xff));
                    case 'B' -> stack.add(bytes(in.getInt()));
                    case 'C' -> stack.add(bytes(in.get() & 0xff));
                    case 'q' -> memo.put(in.get() & 0xff, peek());
                    case 'r' -> memo.put(in.getInt(), peek());
                    case 0x94 -> memo.put(memo.size(), peek());
                    case 'h' -> stack.add(memo.get(in.get() & 0xff));
                    case 'j' -> stack.add(memo.get(in.getInt()));
                    case 'c' -> stack.add(global(line(), line()));
                    case 0x93 -> { // STACK_GLOBAL
                        String name = (String) pop();
                        String module = (String) pop();
                        stack.add(global(module, name));
                    }
                    case 't' -> stack.add(Collections.unmodifiableList(popToMark()));
                    case 0x85 -> stack.add(tuple(1));
                    case 0x86 -> stack.add(tuple(2));
                    case 0x87 -> stack.add(tuple(3));
                    case 'Q' -> stack.add(persistent(pop()));
                    case 'R', 0x81 -> { // REDUCE, NEWOBJ
                        Object args = pop();
                        Object fn = pop();
                        stack.add(call(fn, (List<?>) args));
                    }
                    case 'b' -> { // BUILD: state of an OrderedDict or a tensor's extra state: ignored
                        pop();
                    }
                    case 's' -> {
                        Object v = pop();
                        Object k = pop();
                        dict(peek()).put(k, v);
                    }
                    case 'u' -> {
                        List<Object> items = popToMark();
                        Map<Object, Object> d = dict(peek());
                        for (int i = 0; i + 1 < items.size(); i += 2) d.put(items.get(i), items.get(i + 1));
                    }
                    case 'a' -> {
                        Object v = pop();
                        list(peek()).add(v);
                    }
                    case 'e' -> {
                        List<Object> items = popToMark();
                        list(peek()).addAll(items);
                    }
                    default -> throw new IOException(file + ": unsupported pickle opcode 0x" + Integer.toHexString(op)
                            + " at byte " + (in.position() - 1) + " (only state dicts of tensors are read)");
                }
            }
        }

        private Object global(String module, String name) throws IOException {
            String full = module + "." + name;
            return switch (full) {
                case "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
                     "torch._utils._rebuild_parameter_with_state" -> new Global(module, name);
                default -> {
                    if (module.equals("torch") && STORAGE_BYTES.containsKey(name)) yield new StorageType(name, STORAGE_BYTES.get(name));
                    throw new IOException(file + ": refusing to load global '" + full + "' — only tensors and OrderedDicts are read from a checkpoint");
                }
            };
        }

        private Object persistent(Object pid) throws IOException {
            if (pid instanceof List<?> t && t.size() >= 3 && "storage".equals(t.get(0)) && t.get(1) instanceof StorageType st) {
                return new Storage(st, String.valueOf(t.get(2)));
            }
            throw new IOException(file + ": unexpected persistent id " + pid);
        }

        private Object call(Object fn, List<?> args) throws IOException {
            if (fn instanceof Global g) {
                switch (g.name) {
                    case "OrderedDict" -> {
                        return new LinkedHashMap<>();
                    }
                    case "_rebuild_tensor_v2" -> {
                        Storage s = (Storage) args.get(0);
                        long offset = (Long) args.get(1);
                        return new TensorRef(s, offset, longs(args.get(2)), longs(args.get(3)));
                    }
                    case "_rebuild_parameter", "_rebuild_parameter_with_state" -> {
                        return args.get(0);
                    }
                    default -> { }
                }
            }
            throw new IOException(file + ": cannot call " + fn);
        }

        private long[] longs(Object o) {
            List<?> l = (List<?>) o;
            long[] r = new long[l.size()];
            for (int i = 0; i < r.length; i++) r[i] = (Long) l.get(i);
            return r;
        }

        private List<Object> tuple(int n) {
            List<Object> t = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
            for (int i = 0; i < n; i++) pop();
            return Collections.unmodifiableList(t);
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> dict(Object o) throws IOException {
            if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
            throw new IOException(file + ": malformed pickle (SETITEM on " + describe(o) + ")");
        }

        @SuppressWarnings("unchecked")
        private List<Object> list(Object o) throws IOException {
            if (o instanceof ArrayList<?> l) return (List<Object>) l;
            throw new IOException(file + ": malformed pickle (APPEND on " + describe(o) + ")");
        }

        private List<Object> popToMark() throws IOException {
            int m = stack.lastIndexOf(MARK);
            if (m < 0) throw new IOException(file + ": malformed pickle (no MARK)");
            List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
            stack.subList(m, stack.size()).clear();
            return items;
        }

        private Object pop() {
            return stack.removeLast();
        }

        private Object peek() {
            return stack.getLast();
        }

        private String string(int n) {
            byte[] b = new byte[n];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            in.get(b);
            return b;
        }

        private String line() {
            StringBuilder sb = new StringBuilder();
            for (byte c; (c = in.get()) != '\n'; ) sb.append((char) c);
            return sb.toString();
        }
    }
}
