package org.higgsnarrator.export.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.higgsnarrator.pkg.ElementType;
import org.higgsnarrator.pkg.PackageManifest.TensorSpec;

/**
 * The one builder over the ONNX protobuf classes (bundled in tribuo-util-onnx): graph inputs/outputs with symbolic or
 * fixed dims, nodes with auto-named outputs, small inline constants and initializers. It knows nothing about Higgs.
 * Weights reach a graph one of two ways: {@link #external} points at bytes a caller already wrote (the generation
 * model's shared weight file, {@code HiggsGraphs}), or {@link #init} hands the builder float data that {@link #save}
 * writes to the graph's own {@code .data} file (the codec, {@code CodecGraphs}).
 */
public final class OnnxGraph {
    public static final String MS = "com.microsoft";
    /** ai.onnx opset the graphs use (Split/ReduceSum/Unsqueeze take their axes as inputs since 13). */
    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;
    /** {@link #init} tensors at least this large go to the external data file; small ones stay inline. */
    private static final int EXTERNAL_MIN_BYTES = 1024;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> initializerNames = new HashSet<>();
    /** name → (data, dims) of each {@link #init} tensor, placed by {@link #save}. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    private int counter;

    private record Held(float[] data, long[] dims) {}

    public OnnxGraph(String name) {
        graph.setName(name);
    }

    /** Declares a graph input from the package's I/O table ({@link org.higgsnarrator.pkg.GraphIo}). */
    public void input(TensorSpec t) {
        input(t.name(), dataType(t.dtype()), dims(t));
    }

    /** Declares a graph output from the package's I/O table. */
    public void output(TensorSpec t) {
        output(t.name(), dataType(t.dtype()), dims(t));
    }

    private static Object[] dims(TensorSpec t) {
        return t.shape().stream().map(d -> d.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(d) : d).toArray();
    }

    /** The ONNX element type of a manifest element type. */
    public static TensorProto.DataType dataType(ElementType t) {
        return switch (t) {
            case FLOAT32 -> TensorProto.DataType.FLOAT;
            case FLOAT16 -> TensorProto.DataType.FLOAT16;
            case INT64 -> TensorProto.DataType.INT64;
            case INT32 -> TensorProto.DataType.INT32;
        };
    }

    /** A dimension is a Long/Integer (fixed) or a String (symbolic). */
    public void input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
    }

    public void output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String s) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
            else shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        TypeProto.Tensor t = TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    /** One node with one output (auto-named after the op). */
    public String op(String opType, List<String> inputs, AttributeProto... attrs) {
        return opDomain("", opType, inputs, 1, attrs)[0];
    }

    public String op(String opType, String in0, AttributeProto... attrs) {
        return op(opType, List.of(in0), attrs);
    }

    public String op(String opType, String in0, String in1, AttributeProto... attrs) {
        return op(opType, List.of(in0, in1), attrs);
    }

    public String op(String opType, String in0, String in1, String in2, AttributeProto... attrs) {
        return op(opType, List.of(in0, in1, in2), attrs);
    }

    /** A node of any domain with {@code nOut} auto-named outputs. Empty-string inputs stand for omitted optional inputs. */
    public String[] opDomain(String domain, String opType, List<String> inputs, int nOut, AttributeProto... attrs) {
        String[] outs = new String[nOut];
        String base = opType + "_" + (counter++);
        for (int i = 0; i < nOut; i++) outs[i] = base + (nOut == 1 ? "" : "_" + i);
        node(domain, opType, inputs, List.of(outs), attrs);
        return outs;
    }

    /** A node with given output names (used where an output is a graph output). */
    public void node(String domain, String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(outputs.getFirst() + "_node");
        if (!domain.isEmpty()) n.setDomain(domain);
        n.addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attrs) n.addAttribute(a);
        graph.addNode(n);
    }

    /** Renames a value into a graph output through Identity. */
    public void identity(String from, String to) {
        node("", "Identity", List.of(from), List.of(to));
    }

    public String constInt64(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return inline("c_i64_" + (counter++), TensorProto.DataType.INT64, new long[] {values.length}, b.array());
    }

    public String scalarInt64(long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return inline("c_i64_" + (counter++), TensorProto.DataType.INT64, new long[0], b.array());
    }

    /** A float32 scalar constant (rank 0). */
    public String scalar(float value) {
        return constFloat(TensorProto.DataType.FLOAT, new long[0], value);
    }

    public String constFloat(TensorProto.DataType type, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * (type == TensorProto.DataType.FLOAT ? 4 : 2)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (type == TensorProto.DataType.FLOAT) b.putFloat(v);
            else b.putShort(Float.floatToFloat16(v));
        }
        return inline("c_f_" + (counter++), type, dims, b.array());
    }

    public String inline(String name, TensorProto.DataType type, long[] dims, byte[] raw) {
        graph.addInitializer(inlineTensor(name, type, dims, raw));
        initializerNames.add(name);
        return name;
    }

    /** An initializer whose bytes live in {@code location} (relative to the .onnx file) at [offset, offset+length). */
    public String external(String name, TensorProto.DataType type, long[] dims, String location, long offset, long length) {
        if (!initializerNames.add(name)) return name;
        graph.addInitializer(externalTensor(name, type, dims, location, offset, length));
        return name;
    }

    /** A float32 initializer whose data {@link #save} writes (external when large, inline when small). */
    public String init(String name, float[] data, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        if (n != data.length) throw new IllegalArgumentException("initializer " + name + ": " + data.length + " values for dims " + Arrays.toString(dims));
        if (initializerNames.contains(name) || held.containsKey(name)) throw new IllegalArgumentException("duplicate initializer " + name);
        held.put(name, new Held(data, dims));
        return name;
    }

    private static TensorProto.Builder inlineTensor(String name, TensorProto.DataType type, long[] dims, byte[] raw) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) t.addDims(d);
        return t;
    }

    private static TensorProto.Builder externalTensor(String name, TensorProto.DataType type, long[] dims, String location, long offset, long length) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(kv("location", location))
                .addExternalData(kv("offset", Long.toString(offset)))
                .addExternalData(kv("length", Long.toString(length)));
        for (long d : dims) t.addDims(d);
        return t;
    }

    private static StringStringEntryProto kv(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    /** The model for a graph whose initializers are all in place (no {@link #init} tensors; those need {@link #save}). */
    public ModelProto model(String producer, String docString) {
        if (!held.isEmpty()) throw new IllegalStateException("graph " + graph.getName() + " has init() tensors: write it with save()");
        return model(graph, producer, docString);
    }

    /** Imports the com.microsoft domain only when a node uses it. An empty docString is left out. */
    private static ModelProto model(GraphProto.Builder g, String producer, String docString) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(producer);
        if (!docString.isEmpty()) m.setDocString(docString);
        m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (g.getNodeList().stream().anyMatch(n -> MS.equals(n.getDomain()))) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS).setVersion(1));
        }
        return m.setGraph(g).build();
    }

    /**
     * Writes {@code dir/fileName} and {@code dir/fileName.data} (every {@link #init} tensor of at least
     * {@value #EXTERNAL_MIN_BYTES} bytes, each 64-byte aligned for mmap) atomically: temp files, then move.
     *
     * @return the external data file's name (relative to dir)
     */
    public String save(Path dir, String fileName, String producer) {
        String dataName = fileName + ".data";
        try {
            Files.createDirectories(dir);
            Path dataTmp = Files.createTempFile(dir, dataName, ".tmp");
            GraphProto.Builder g = graph.clone();
            long offset = 0;
            try (OutputStream out = Files.newOutputStream(dataTmp)) {
                for (Map.Entry<String, Held> e : held.entrySet()) {
                    float[] data = e.getValue().data();
                    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(data);
                    byte[] raw = b.array();
                    if (raw.length < EXTERNAL_MIN_BYTES) {
                        g.addInitializer(inlineTensor(e.getKey(), TensorProto.DataType.FLOAT, e.getValue().dims(), raw));
                        continue;
                    }
                    long aligned = (offset + 63) / 64 * 64;
                    out.write(new byte[(int) (aligned - offset)]);
                    out.write(raw);
                    g.addInitializer(externalTensor(e.getKey(), TensorProto.DataType.FLOAT, e.getValue().dims(), dataName, aligned, raw.length));
                    offset = aligned + raw.length;
                }
            }
            Path modelTmp = Files.createTempFile(dir, fileName, ".tmp");
            try (OutputStream out = Files.newOutputStream(modelTmp)) {
                model(g, producer, "").writeTo(out);
            }
            for (Path p : new Path[] {dataTmp, modelTmp}) readableByAll(p); // temp files start as 0600
            Files.move(dataTmp, dir.resolve(dataName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(modelTmp, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return dataName;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(fileName) + ": " + e.getMessage(), e);
        }
    }

    private static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: its defaults apply
        }
    }

    // ---- attributes ----

    public static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto attr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    public static AttributeProto attr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    public static AttributeProto attrInts(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) b.addInts(x);
        return b.build();
    }

    public static List<String> list(String... names) {
        return new ArrayList<>(List.of(names));
    }
}
