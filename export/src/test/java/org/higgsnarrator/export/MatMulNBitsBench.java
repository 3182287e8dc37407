package org.higgsnarrator.export;

import static org.higgsnarrator.export.onnx.OnnxGraph.attr;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.higgsnarrator.export.onnx.OnnxGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matrix multiplications of decode steps at the release's width (hidden 3072, q 3072, k/v 1024, audio FFN 8192),
 * int4 MatMulNBits at accuracy level 4 as the converter writes them, over {@code matmul.layers} layers of distinct
 * random weights (8 by default: 265 MB, beyond the last-level cache), in two graphs timed round by round in one
 * process (tag "large": run on request, numbers in docs/performance.md):
 * <ul>
 *   <li>{@code separate}: q, k, v, gate, up, down, o as seven matrices per layer (graphs before revision 7);</li>
 *   <li>{@code stacked}: [q | k | v] and [gate | up] as one matrix each, split after (revision 7).</li>
 * </ul>
 * Same bytes per step either way; what differs is the number of kernel calls and thread-pool rounds.
 */
@Tag("large")
class MatMulNBitsBench {
    static final int H = 3072, Q = 3072, KV = 1024, F = 8192, BLOCK = 32;

    @Test
    void stackedAgainstSeparateMatrices(@TempDir Path tmp) throws Exception {
        int layers = Integer.getInteger("matmul.layers", 8), rounds = Integer.getInteger("matmul.rounds", 9), runs = 16;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String[] names = {"separate", "stacked"};
        OrtSession[] sessions = new OrtSession[2];
        for (int v = 0; v < 2; v++) {
            Path f = tmp.resolve(names[v] + ".onnx");
            Files.write(f, graph(v == 1, layers).toByteArray());
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.addConfigEntry("session.intra_op.allow_spinning", System.getProperty("matmul.spinning", "0"));
            so.setIntraOpNumThreads(Integer.getInteger("matmul.threads", 2));
            sessions[v] = env.createSession(f.toString(), so);
        }
        float[] x = new float[H];
        Random r = new Random(3);
        for (int i = 0; i < H; i++) x[i] = (float) r.nextGaussian();
        double[][] ms = new double[2][rounds];
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, H})) {
            for (int round = -1; round < rounds; round++) {
                for (int j = 0; j < 2; j++) {
                    int v = (j + Math.max(round, 0)) % 2;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < runs; i++) {
                        try (OrtSession.Result res = sessions[v].run(Map.of("x", in))) {
                            res.get(0);
                        }
                    }
                    if (round >= 0) ms[v][round] = (System.nanoTime() - t0) / 1e6 / runs;
                }
            }
        }
        double bytes = layers * ((double) (Q + 2 * KV + 2 * F) * H + (double) F * H + (double) Q * H) * (0.5 + 4.0 / BLOCK + 0.5 / BLOCK);
        StringBuilder report = new StringBuilder(String.format("matmul, %d layers, %.0f MB per run (load %s):", layers, bytes / 1e6,
                Files.readString(Path.of("/proc/loadavg")).trim()));
        for (int v = 0; v < 2; v++) {
            double[] s = ms[v].clone();
            Arrays.sort(s);
            report.append(String.format("  %s median %.2f ms (%.1f GB/s), best %.2f ms;", names[v], s[s.length / 2], bytes / s[s.length / 2] / 1e6, s[0]));
        }
        System.out.println(report);
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "matmul-bench.txt"), report + System.lineSeparator());
        for (OrtSession s : sessions) s.close();
    }

    private static ai.onnx.proto.OnnxMl.ModelProto graph(boolean stacked, int layers) {
        OnnxGraph g = new OnnxGraph(stacked ? "stacked" : "separate");
        g.input("x", DataType.FLOAT, 1L, (long) H);
        g.output("y", DataType.FLOAT);
        Random r = new Random(stacked ? 11 : 12);
        String x = "x";
        List<String> sink = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String q, k, v, gate, up;
            if (stacked) {
                String[] qkv = g.opDomain("", "Split", List.of(nbits(g, r, x, Q + 2 * KV, H), g.constInt64(Q, KV, KV)), 3, attr("axis", -1L));
                q = qkv[0];
                k = qkv[1];
                v = qkv[2];
                String[] gu = g.opDomain("", "Split", List.of(nbits(g, r, x, 2 * F, H), g.constInt64(F, F)), 2, attr("axis", -1L));
                gate = gu[0];
                up = gu[1];
            } else {
                q = nbits(g, r, x, Q, H);
                k = nbits(g, r, x, KV, H);
                v = nbits(g, r, x, KV, H);
                gate = nbits(g, r, x, F, H);
                up = nbits(g, r, x, F, H);
            }
            sink.add(k);
            sink.add(v);
            String down = nbits(g, r, g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", gate)), up), H, F);
            x = g.op("Add", g.op("Add", x, down), nbits(g, r, q, H, Q));
        }
        sink.add(x);
        g.node("", "ReduceSum", List.of(g.op("Concat", sink, attr("axis", -1L))), List.of("y"), attr("keepdims", 0L));
        return g.model("bench", "MatMulNBits stacking");
    }

    /** x [1, k] @ W^T for a random int4 W [n, k] (scales 1e-3, zero point 8). */
    private static String nbits(OnnxGraph g, Random r, String x, int n, int k) {
        int blocks = k / BLOCK;
        byte[] b = new byte[n * blocks * BLOCK / 2];
        r.nextBytes(b);
        java.nio.ByteBuffer scales = java.nio.ByteBuffer.allocate(n * blocks * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * blocks; i++) scales.putFloat(1e-3f);
        byte[] zeros = new byte[n * ((blocks * 4 + 7) / 8)];
        Arrays.fill(zeros, (byte) 0x88);
        String id = "w" + System.identityHashCode(b);
        return g.opDomain(OnnxGraph.MS, "MatMulNBits",
                List.of(x, g.inline(id + ".b", DataType.UINT8, new long[] {n, blocks, BLOCK / 2}, b),
                        g.inline(id + ".s", DataType.FLOAT, new long[] {(long) n * blocks}, scales.array()),
                        g.inline(id + ".z", DataType.UINT8, new long[] {zeros.length}, zeros)), 1,
                attr("K", (long) k), attr("N", (long) n), attr("bits", 4L), attr("block_size", (long) BLOCK), attr("accuracy_level", 4L))[0];
    }
}
