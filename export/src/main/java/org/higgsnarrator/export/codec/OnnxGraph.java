package org.higgsnarrator.export.codec;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A thin builder over the ONNX protobuf classes bundled in tribuo-util-onnx: nodes, initializers, inputs and
 * outputs, then {@link #save} writes {@code name.onnx} plus one external-data file holding every large initializer.
 * Kept inside the codec package on purpose (the generation-model converter has its own), so each converter can evolve
 * without the other.
 */
final class OnnxGraph {
    static final int OPSET = 17;
    static final int IR_VERSION = 8;
    /** Initializers at least this large go to the external data file; small constants stay inline. */
    private static final int EXTERNAL_MIN_BYTES = 1024;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    /** name → float data (or long data) of each initializer, written at save time. */
    private final Map<String, Object> initData = new LinkedHashMap<>();
    private final Map<String, long[]> initDims = new LinkedHashMap<>();
    private int counter;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A fresh tensor name with a readable prefix. */
    String fresh(String prefix) {
        return prefix + "_" + (counter++);
    }

    // ---- inputs / outputs -------------------------------------------------------------------------------------------

    /** @param dims Integer for a fixed dimension, String for a symbolic one */
    void input(String name, int elemType, Object... dims) {
        graph.addInput(valueInfo(name, elemType, dims));
    }

    void output(String name, int elemType, Object... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder db = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) db.setDimValue(i);
            else db.setDimParam(d.toString());
            shape.addDim(db);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
    }

    // ---- initializers -----------------------------------------------------------------------------------------------

    String init(String name, float[] data, long... dims) {
        check(name, data.length, dims);
        initData.put(name, data);
        initDims.put(name, dims);
        return name;
    }

    String initLong(String name, long[] data, long... dims) {
        check(name, data.length, dims);
        initData.put(name, data);
        initDims.put(name, dims);
        return name;
    }

    /** A float scalar constant (rank 0). */
    String scalar(float v) {
        return init(fresh("c"), new float[] {v});
    }

    /** An int64 scalar constant (rank 0). */
    String longScalar(long v) {
        return initLong(fresh("i"), new long[] {v});
    }

    /** An int64 vector constant. */
    String longs(long... v) {
        return initLong(fresh("i"), v, v.length);
    }

    private void check(String name, int n, long[] dims) {
        long p = 1;
        for (long d : dims) p *= d;
        if (p != n) throw new IllegalArgumentException("initializer " + name + ": " + n + " values for dims " + java.util.Arrays.toString(dims));
        if (initData.containsKey(name)) throw new IllegalArgumentException("duplicate initializer " + name);
    }

    // ---- nodes ------------------------------------------------------------------------------------------------------

    /** One node with one output; returns the output's name. */
    String op(String opType, List<String> inputs, Attr... attrs) {
        return opN(opType, inputs, 1, attrs)[0];
    }

    String op(String opType, String a, Attr... attrs) {
        return op(opType, List.of(a), attrs);
    }

    String op(String opType, String a, String b, Attr... attrs) {
        return op(opType, List.of(a, b), attrs);
    }

    String op(String opType, String a, String b, String c, Attr... attrs) {
        return op(opType, List.of(a, b, c), attrs);
    }

    String[] opN(String opType, List<String> inputs, int outputs, Attr... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(fresh(opType));
        n.addAllInput(inputs);
        String[] outs = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            outs[i] = fresh(opType.toLowerCase());
            n.addOutput(outs[i]);
        }
        for (Attr a : attrs) n.addAttribute(a.proto);
        graph.addNode(n);
        return outs;
    }

    /** Renames the value {@code from} to a graph output name via Identity. */
    void identity(String from, String to) {
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(fresh("Identity")).addInput(from).addOutput(to));
    }

    /** A node attribute. */
    record Attr(AttributeProto proto) {
        static Attr i(String name, long v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build());
        }

        static Attr f(String name, float v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build());
        }

        static Attr ints(String name, long... v) {
            AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long x : v) b.addInts(x);
            return new Attr(b.build());
        }
    }

    // ---- writing ----------------------------------------------------------------------------------------------------

    /**
     * Writes {@code dir/fileName} and {@code dir/fileName.data} atomically (temp files, then move).
     *
     * @return the external data file's name (relative to dir)
     */
    String save(Path dir, String fileName, String producer) {
        String dataName = fileName + ".data";
        try {
            Files.createDirectories(dir);
            Path dataTmp = Files.createTempFile(dir, dataName, ".tmp");
            long offset = 0;
            OnnxMl.GraphProto.Builder g = graph.clone();
            try (OutputStream out = Files.newOutputStream(dataTmp)) {
                for (Map.Entry<String, Object> e : initData.entrySet()) {
                    byte[] raw = rawBytes(e.getValue());
                    TensorProto.Builder t = TensorProto.newBuilder().setName(e.getKey())
                            .setDataType(e.getValue() instanceof float[] ? TensorProto.DataType.FLOAT_VALUE : TensorProto.DataType.INT64_VALUE);
                    for (long d : initDims.get(e.getKey())) t.addDims(d);
                    if (raw.length >= EXTERNAL_MIN_BYTES) {
                        long aligned = (offset + 63) / 64 * 64; // keeps every tensor 64-byte aligned for mmap
                        out.write(new byte[(int) (aligned - offset)]);
                        offset = aligned;
                        out.write(raw);
                        t.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                                .addExternalData(kv("location", dataName))
                                .addExternalData(kv("offset", Long.toString(offset)))
                                .addExternalData(kv("length", Long.toString(raw.length)));
                        offset += raw.length;
                    } else {
                        t.setRawData(ByteString.copyFrom(raw));
                    }
                    g.addInitializer(t);
                }
            }
            OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                    .setIrVersion(IR_VERSION)
                    .setProducerName(producer)
                    .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                    .setGraph(g)
                    .build();
            Path modelTmp = Files.createTempFile(dir, fileName, ".tmp");
            try (OutputStream out = Files.newOutputStream(modelTmp)) {
                model.writeTo(out);
            }
            Files.move(dataTmp, dir.resolve(dataName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(modelTmp, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return dataName;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(fileName) + ": " + e.getMessage(), e);
        }
    }

    private static OnnxMl.StringStringEntryProto kv(String k, String v) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private static byte[] rawBytes(Object data) {
        if (data instanceof float[] f) {
            ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(f);
            return b.array();
        }
        long[] l = (long[]) data;
        ByteBuffer b = ByteBuffer.allocate(l.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(l);
        return b.array();
    }

    /** Number of nodes so far (for reports). */
    int nodeCount() {
        return graph.getNodeCount();
    }

    /** All initializer names (for tests). */
    List<String> initializerNames() {
        return new ArrayList<>(initData.keySet());
    }
}
