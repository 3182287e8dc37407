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
    static final int H = 3072, Q = 3072, KV = 1024, F = 8192;

    /** How one variant stores its matrices: stacked or not, the quantization block, zero points or the symmetric default (8). */
    record Variant(String name, boolean stacked, int block, boolean zeroPoints) {
        static Variant parse(String name) {
            String[] p = name.split("-");
            int block = 32;
            boolean zeroPoints = true;
            for (int i = 1; i < p.length; i++) {
                if (p[i].startsWith("b")) block = Integer.parseInt(p[i].substring(1));
                else if (p[i].equals("sym")) zeroPoints = false;
                else throw new IllegalArgumentException("matmul.variants: unknown part '" + p[i] + "' in " + name + " (b<block>, sym)");
            }
            if (!p[0].equals("stacked") && !p[0].equals("separate")) throw new IllegalArgumentException("matmul.variants: " + name + " starts with neither stacked nor separate");
            return new Variant(name, p[0].equals("stacked"), block, zeroPoints);
        }

        /** Bytes one weight takes as stored: 4 bits, a float scale per block, a 4-bit zero point per block. */
        double bytesPerWeight() {
            return 0.5 + 4.0 / block + (zeroPoints ? 0.5 / block : 0);
        }
    }

    /**
     * {@code matmul.variants} (comma-separated, default {@code separate,stacked}): {@code separate|stacked}, then
     * optional {@code -b<block>} (default 32) and {@code -sym} (no zero points), e.g. {@code stacked-b128-sym}.
     */
    @Test
    void stackedAgainstSeparateMatrices(@TempDir Path tmp) throws Exception {
        int layers = Integer.getInteger("matmul.layers", 8), rounds = Integer.getInteger("matmul.rounds", 9), runs = 16;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Variant[] variants = Arrays.stream(System.getProperty("matmul.variants", "separate,stacked").split(",")).map(Variant::parse).toArray(Variant[]::new);
        int n = variants.length;
        OrtSession[] sessions = new OrtSession[n];
        for (int v = 0; v < n; v++) {
            Path f = tmp.resolve(variants[v].name() + ".onnx");
            Files.write(f, graph(variants[v], layers).toByteArray());
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.addConfigEntry("session.intra_op.allow_spinning", System.getProperty("matmul.spinning", "0"));
            so.setIntraOpNumThreads(Integer.getInteger("matmul.threads", 2));
            sessions[v] = env.createSession(f.toString(), so);
        }
        float[] x = new float[H];
        Random r = new Random(3);
        for (int i = 0; i < H; i++) x[i] = (float) r.nextGaussian();
        double[][] ms = new double[n][rounds];
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, H})) {
            for (int round = -1; round < rounds; round++) {
                for (int j = 0; j < n; j++) {
                    int v = (j + Math.max(round, 0)) % n;
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
        double weights = layers * ((double) (Q + 2 * KV + 2 * F) * H + (double) F * H + (double) Q * H);
        StringBuilder report = new StringBuilder(String.format("matmul, %d layers, %.0f M weights per run (load %s):", layers, weights / 1e6,
                Files.readString(Path.of("/proc/loadavg")).trim()));
        for (int v = 0; v < n; v++) {
            double[] s = ms[v].clone();
            Arrays.sort(s);
            double bytes = weights * variants[v].bytesPerWeight();
            report.append(String.format("%n  %s: %.0f MB, median %.2f ms (%.1f GB/s), best %.2f ms;", variants[v].name(), bytes / 1e6, s[s.length / 2],
                    bytes / s[s.length / 2] / 1e6, s[0]));
        }
        System.out.println(report);
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "matmul-bench.txt"), report + System.lineSeparator());
        for (OrtSession s : sessions) s.close();
    }

    private static ai.onnx.proto.OnnxMl.ModelProto graph(Variant variant, int layers) {
        boolean stacked = variant.stacked();
        OnnxGraph g = new OnnxGraph(variant.name());
        g.input("x", DataType.FLOAT, 1L, (long) H);
        g.output("y", DataType.FLOAT);
        Random r = new Random(variant.name().hashCode());
        String x = "x";
        List<String> sink = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String q, k, v, gate, up;
            if (stacked) {
                String[] qkv = g.opDomain("", "Split", List.of(nbits(g, variant, r, x, Q + 2 * KV, H), g.constInt64(Q, KV, KV)), 3, attr("axis", -1L));
                q = qkv[0];
                k = qkv[1];
                v = qkv[2];
                String[] gu = g.opDomain("", "Split", List.of(nbits(g, variant, r, x, 2 * F, H), g.constInt64(F, F)), 2, attr("axis", -1L));
                gate = gu[0];
                up = gu[1];
            } else {
                q = nbits(g, variant, r, x, Q, H);
                k = nbits(g, variant, r, x, KV, H);
                v = nbits(g, variant, r, x, KV, H);
                gate = nbits(g, variant, r, x, F, H);
                up = nbits(g, variant, r, x, F, H);
            }
            sink.add(k);
            sink.add(v);
            String down = nbits(g, variant, r, g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", gate)), up), H, F);
            x = g.op("Add", g.op("Add", x, down), nbits(g, variant, r, q, H, Q));
        }
        sink.add(x);
        g.node("", "ReduceSum", List.of(g.op("Concat", sink, attr("axis", -1L))), List.of("y"), attr("keepdims", 0L));
        return g.model("bench", "MatMulNBits stacking");
    }

    /** x [1, k] @ W^T for a random int4 W [n, k] (scales 1e-3, zero point 8, stored or implied). */
    private static String nbits(OnnxGraph g, Variant variant, Random r, String x, int n, int k) {
        int block = variant.block(), blocks = k / block;
        byte[] b = new byte[n * blocks * block / 2];
        r.nextBytes(b);
        java.nio.ByteBuffer scales = java.nio.ByteBuffer.allocate(n * blocks * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * blocks; i++) scales.putFloat(1e-3f);
        byte[] zeros = new byte[n * ((blocks * 4 + 7) / 8)];
        Arrays.fill(zeros, (byte) 0x88);
        String id = "w" + System.identityHashCode(b);
        List<String> inputs = new ArrayList<>(List.of(x, g.inline(id + ".b", DataType.UINT8, new long[] {n, blocks, block / 2}, b),
                g.inline(id + ".s", DataType.FLOAT, new long[] {(long) n * blocks}, scales.array())));
        if (variant.zeroPoints()) inputs.add(g.inline(id + ".z", DataType.UINT8, new long[] {zeros.length}, zeros));
        return g.opDomain(OnnxGraph.MS, "MatMulNBits", inputs, 1,
                attr("K", (long) k), attr("N", (long) n), attr("bits", 4L), attr("block_size", (long) block), attr("accuracy_level", 4L))[0];
    }
}
