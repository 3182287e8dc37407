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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A thin builder over the ONNX protobuf classes (bundled in tribuo-util-onnx): graph inputs/outputs with symbolic or
 * fixed dims, nodes with auto-named outputs, small inline constants and external-data initializers. It knows nothing
 * about Higgs; {@code HiggsGraphs} uses it.
 */
public final class OnnxGraph {
    public static final String MS = "com.microsoft";
    /** ai.onnx opset the graphs use (Split/ReduceSum/Unsqueeze take their axes as inputs since 13). */
    public static final int OPSET = 17;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> initializerNames = new HashSet<>();
    private int counter;

    public OnnxGraph(String name) {
        graph.setName(name);
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

    public String constFloat(TensorProto.DataType type, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * (type == TensorProto.DataType.FLOAT ? 4 : 2)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (type == TensorProto.DataType.FLOAT) b.putFloat(v);
            else b.putShort(Float.floatToFloat16(v));
        }
        return inline("c_f_" + (counter++), type, dims, b.array());
    }

    public String inline(String name, TensorProto.DataType type, long[] dims, byte[] raw) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) t.addDims(d);
        graph.addInitializer(t);
        initializerNames.add(name);
        return name;
    }

    /** An initializer whose bytes live in {@code location} (relative to the .onnx file) at [offset, offset+length). */
    public String external(String name, TensorProto.DataType type, long[] dims, String location, long offset, long length) {
        if (!initializerNames.add(name)) return name;
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(kv("location", location))
                .addExternalData(kv("offset", Long.toString(offset)))
                .addExternalData(kv("length", Long.toString(length)));
        for (long d : dims) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    private static StringStringEntryProto kv(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    public ModelProto model(String producer, String docString) {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName(producer)
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS).setVersion(1))
                .setGraph(graph)
                .build();
    }

    // ---- attributes ----

    public static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto attr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
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
