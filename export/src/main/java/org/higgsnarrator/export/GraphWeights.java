package org.higgsnarrator.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What a package's graph really stores, counted from its initializers (for the bench's bytes per step). */
public final class GraphWeights {
    private GraphWeights() {}

    /** Operators that read every byte of their weight operands on every run. */
    private static final Set<String> MATRIX_OPS = Set.of("MatMul", "MatMulNBits", "Gemm", "FusedMatMul");

    /**
     * Bytes of the initializers read whole by matrix operators (MatMul, MatMulNBits: packed weights, scales, zero
     * points) in {@code graph}: what one run of a one-position graph streams from memory, apart from gathered table rows
     * and the KV cache.
     */
    public static long matrixBytes(Path graph) {
        ModelProto m;
        try (InputStream in = Files.newInputStream(graph)) {
            m = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + graph, e);
        }
        Map<String, Long> sizes = new HashMap<>();
        for (TensorProto t : m.getGraph().getInitializerList()) sizes.put(t.getName(), bytes(t));
        Set<String> counted = new HashSet<>();
        long total = 0;
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (!MATRIX_OPS.contains(n.getOpType())) continue;
            for (String in : n.getInputList()) {
                Long b = sizes.get(in);
                if (b != null && counted.add(in)) total += b;
            }
        }
        return total;
    }

    private static long bytes(TensorProto t) {
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (e.getKey().equals("length")) return Long.parseLong(e.getValue());
        }
        return t.getRawData().size() + 4L * t.getFloatDataCount() + 8L * t.getInt64DataCount() + 4L * t.getInt32DataCount();
    }
}
