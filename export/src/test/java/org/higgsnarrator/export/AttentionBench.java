package org.higgsnarrator.export;

import static org.higgsnarrator.export.onnx.OnnxGraph.attr;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.higgsnarrator.export.onnx.OnnxGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ORT's CPU GroupQueryAttention costs in a decode step at the release's attention shape (24 query / 8 KV heads of
 * 128), per variant, interleaved round by round so that a shared machine's load hits every variant alike (tag
 * "large": run on request, numbers in docs/performance.md):
 * <ul>
 *   <li>{@code scale-in-gqa}: GQA's default scale 1/sqrt(128) (graphs before revision 4);</li>
 *   <li>{@code scale-folded}: scale = 1, the query pre-scaled (revision 4) — MLAS then reads each key cache in place;</li>
 *   <li>{@code fp16-kv}: fp16 query and cache, default scale;</li>
 *   <li>{@code grouped}: no GQA: the 3 query heads of each KV head as one [3, hd] × [hd, T] product
 *       (FusedMatMul transB over the cache as it lies, [8, T, hd]), the new position's key and value apart and
 *       concatenated into the scores, softmax, then [3, T] × [T, hd]: each cache read once. The cache is a read-only
 *       input of exactly the used positions (the engine would write the new key/value itself);</li>
 *   <li>{@code gemv-kt}: the key cache stored transposed ([8, hd, T]) and the query as [8, 3, 1, hd], so that both
 *       products broadcast over the 3 query heads with M = 1 and B not transposed — the case MLAS runs as an in-place
 *       GEMV, without packing (copying) the cache; same read-only, exactly-sized cache;</li>
 *   <li>{@code split-2}: the scale-folded GQA as two GQA nodes over half the KV heads each (two caches per layer),
 *       run side by side (ORT's parallel execution mode, two inter-op threads, one intra-op thread each).</li>
 * </ul>
 * 28 separate caches (one per layer, as in the model), one GQA call each = the attention of one decode step.
 */
@Tag("large")
class AttentionBench {
    static final int HEADS = 24, KV = 8, HD = 128, LAYERS = 28;

    @Test
    void attentionOfOneDecodeStep(@TempDir Path tmp) throws Exception {
        int capacity = Integer.getInteger("attention.capacity", 2100);
        int rounds = Integer.getInteger("attention.rounds", 7);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String[] names = {"scale-in-gqa", "scale-folded", "fp16-kv", "grouped", "gemv-kt", "split-2"};
        int variants = names.length;
        OrtSession[] sessions = new OrtSession[variants];
        for (int v = 0; v < variants; v++) {
            Path f = tmp.resolve(names[v] + ".onnx");
            Files.write(f, (v == 3 ? groupedGraph() : v == 4 ? gemvGraph() : v == 5 ? splitGraph() : graph(v == 2 ? DataType.FLOAT16 : DataType.FLOAT, v == 1)).toByteArray());
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            int threads = Integer.getInteger("attention.threads", 0);
            if (threads > 0) so.setIntraOpNumThreads(threads);
            if (v == 5) {
                so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
                so.setInterOpNumThreads(2);
                so.setIntraOpNumThreads(1);
            }
            sessions[v] = env.createSession(f.toString(), so);
        }
        Random r = new Random(1);
        float scale = (float) (1 / Math.sqrt(HD));
        float[] q = rnd(r, HEADS * HD), k = rnd(r, KV * HD), vv = rnd(r, KV * HD);
        float[] qs = q.clone();
        for (int i = 0; i < qs.length; i++) qs[i] *= scale;
        List<AutoCloseable> owned = new ArrayList<>();
        // caches: per variant and layer, K and V [1, KV, capacity, HD], filled with random values
        OnnxTensor[][][] cache = new OnnxTensor[3][LAYERS][2];
        for (int v = 0; v < 3; v++) {
            boolean half = v == 2;
            for (int l = 0; l < LAYERS; l++) {
                for (int kv = 0; kv < 2; kv++) {
                    long n = (long) KV * capacity * HD;
                    ByteBuffer b = ByteBuffer.allocateDirect((int) (n * (half ? 2 : 4))).order(ByteOrder.nativeOrder());
                    Random cr = new Random(l * 2L + kv);
                    for (long i = 0; i < n; i++) {
                        float x = (float) cr.nextGaussian();
                        if (half) b.putShort(Float.floatToFloat16(x));
                        else b.putFloat(x);
                    }
                    b.rewind();
                    long[] shape = {1, KV, capacity, HD};
                    cache[v][l][kv] = half ? OnnxTensor.createTensor(env, b, shape, OnnxJavaType.FLOAT16) : OnnxTensor.createTensor(env, b.asFloatBuffer(), shape);
                    owned.add(cache[v][l][kv]);
                }
            }
        }
        // split-2's caches: the scale-folded caches' KV heads 0-3 and 4-7, [1, KV/2, capacity, HD] each
        OnnxTensor[][][] halves = new OnnxTensor[LAYERS][2][2]; // [layer][key/value][half]
        for (int l = 0; l < LAYERS; l++) {
            for (int kv = 0; kv < 2; kv++) {
                FloatBuffer src = cache[1][l][kv].getFloatBuffer();
                for (int h = 0; h < 2; h++) {
                    int n = KV / 2 * capacity * HD;
                    ByteBuffer b = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
                    for (int i = 0; i < n; i++) b.putFloat(src.get(h * n + i));
                    b.rewind();
                    halves[l][kv][h] = own(owned, OnnxTensor.createTensor(env, b.asFloatBuffer(), new long[] {1, KV / 2, capacity, HD}));
                }
            }
        }
        StringBuilder report = new StringBuilder();
        for (int context : new int[] {256, 2048}) {
            // the grouped variant's caches: the first context-1 positions of the GQA caches, [1, KV, context-1, HD]
            OnnxTensor[][] exact = new OnnxTensor[LAYERS][3]; // key, value, key transposed [1, KV, HD, T]
            for (int l = 0; l < LAYERS; l++) {
                for (int kv = 0; kv < 2; kv++) {
                    FloatBuffer src = cache[1][l][kv].getFloatBuffer();
                    int t = context - 1;
                    float[] dst = new float[KV * t * HD];
                    for (int h = 0; h < KV; h++) src.get(h * capacity * HD, dst, h * t * HD, t * HD);
                    exact[l][kv] = own(owned, OnnxTensor.createTensor(env, FloatBuffer.wrap(dst), new long[] {1, KV, t, HD}));
                    if (kv == 0) {
                        float[] tr = new float[dst.length];
                        for (int h = 0; h < KV; h++) for (int i = 0; i < t; i++) for (int d = 0; d < HD; d++) tr[(h * HD + d) * t + i] = dst[(h * t + i) * HD + d];
                        exact[l][2] = own(owned, OnnxTensor.createTensor(env, FloatBuffer.wrap(tr), new long[] {1, KV, HD, t}));
                    }
                }
            }
            double[][] ms = new double[variants][rounds];
            float[][] out = new float[variants][];
            for (int round = 0; round < rounds; round++) {
                for (int v = 0; v < variants; v++) {
                    boolean half = v == 2;
                    if (v == 5) {
                        Map<String, OnnxTensor> in = new HashMap<>();
                        in.put("q", tensor(env, qs, false, 1, 1, HEADS * HD, owned));
                        in.put("k", tensor(env, k, false, 1, 1, KV * HD, owned));
                        in.put("v", tensor(env, vv, false, 1, 1, KV * HD, owned));
                        in.put("seqlens_k", own(owned, OnnxTensor.createTensor(env, new int[] {context - 1})));
                        in.put("total", own(owned, OnnxTensor.createTensor(env, context)));
                        long t0 = System.nanoTime();
                        for (int l = 0; l < LAYERS; l++) {
                            Map<String, OnnxValue> pinned = new HashMap<>();
                            for (int h = 0; h < 2; h++) {
                                in.put("past_key_" + h, halves[l][0][h]);
                                in.put("past_value_" + h, halves[l][1][h]);
                                pinned.put("present_key_" + h, halves[l][0][h]);
                                pinned.put("present_value_" + h, halves[l][1][h]);
                            }
                            try (OrtSession.Result res = sessions[v].run(in, Set.of("attn"), pinned)) {
                                if (l == 0 && round == 0) out[v] = floats((OnnxTensor) res.get("attn").orElseThrow(), false);
                            }
                        }
                        ms[v][round] = (System.nanoTime() - t0) / 1e6;
                        continue;
                    }
                    if (v >= 3) {
                        Map<String, OnnxTensor> in = new HashMap<>();
                        in.put("q", tensor(env, qs, false, 1, 1, HEADS * HD, owned));
                        in.put("k", tensor(env, k, false, 1, 1, KV * HD, owned));
                        in.put("v", tensor(env, vv, false, 1, 1, KV * HD, owned));
                        long t0 = System.nanoTime();
                        for (int l = 0; l < LAYERS; l++) {
                            in.put("cache_key", exact[l][v == 4 ? 2 : 0]);
                            in.put("cache_value", exact[l][1]);
                            try (OrtSession.Result res = sessions[v].run(in, Set.of("attn"))) {
                                if (l == 0 && round == 0) out[v] = floats((OnnxTensor) res.get("attn").orElseThrow(), false);
                            }
                        }
                        ms[v][round] = (System.nanoTime() - t0) / 1e6;
                        continue;
                    }
                    Map<String, OnnxTensor> in = new HashMap<>();
                    in.put("q", tensor(env, v == 1 ? qs : q, half, 1, 1, HEADS * HD, owned));
                    in.put("k", tensor(env, k, half, 1, 1, KV * HD, owned));
                    in.put("v", tensor(env, vv, half, 1, 1, KV * HD, owned));
                    in.put("seqlens_k", own(owned, OnnxTensor.createTensor(env, new int[] {context - 1})));
                    in.put("total", own(owned, OnnxTensor.createTensor(env, context)));
                    long t0 = System.nanoTime();
                    for (int l = 0; l < LAYERS; l++) {
                        in.put("past_key", cache[v][l][0]);
                        in.put("past_value", cache[v][l][1]);
                        Map<String, OnnxValue> pinned = Map.of("present_key", cache[v][l][0], "present_value", cache[v][l][1]);
                        try (OrtSession.Result res = sessions[v].run(in, Set.of("attn"), pinned)) {
                            if (l == 0 && round == 0) out[v] = floats((OnnxTensor) res.get("attn").orElseThrow(), half);
                        }
                    }
                    ms[v][round] = (System.nanoTime() - t0) / 1e6;
                }
            }
            report.append(String.format("context %d (load %s):", context, Files.readString(Path.of("/proc/loadavg")).trim()));
            for (int v = 0; v < variants; v++) {
                double[] s = ms[v].clone();
                Arrays.sort(s);
                report.append(String.format("  %s median %.1f ms, best %.1f ms;", names[v], s[s.length / 2], s[0]));
            }
            report.append('\n');
            double maxDiff = 0;
            for (int i = 0; i < out[0].length; i++) maxDiff = Math.max(maxDiff, Math.abs(out[0][i] - out[1][i]));
            assertTrue(maxDiff < 1e-4, "folded scale changes the attention output by " + maxDiff);
            double groupedDiff = 0;
            for (int i = 0; i < out[0].length; i++) groupedDiff = Math.max(groupedDiff, Math.abs(out[0][i] - out[3][i]));
            assertTrue(groupedDiff < 1e-4, "the grouped formulation differs from GQA by " + groupedDiff);
            double gemvDiff = 0;
            for (int i = 0; i < out[0].length; i++) gemvDiff = Math.max(gemvDiff, Math.abs(out[0][i] - out[4][i]));
            assertTrue(gemvDiff < 1e-4, "the transposed-key formulation differs from GQA by " + gemvDiff);
            double splitDiff = 0;
            for (int i = 0; i < out[0].length; i++) splitDiff = Math.max(splitDiff, Math.abs(out[0][i] - out[5][i]));
            assertTrue(splitDiff < 1e-4, "the split GQA differs from one GQA by " + splitDiff);
        }
        System.out.print(report);
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "attention-bench.txt"), report);
        for (AutoCloseable c : owned) c.close();
        for (OrtSession s : sessions) s.close();
    }

    private static ai.onnx.proto.OnnxMl.ModelProto graph(DataType t, boolean scaleOne) {
        OnnxGraph g = new OnnxGraph("gqa");
        g.input("q", t, 1, 1, HEADS * HD);
        g.input("k", t, 1, 1, KV * HD);
        g.input("v", t, 1, 1, KV * HD);
        g.input("past_key", t, 1, KV, "ctx", HD);
        g.input("past_value", t, 1, KV, "ctx", HD);
        g.input("seqlens_k", DataType.INT32, 1);
        g.input("total", DataType.INT32);
        g.output("attn", t, 1, 1, HEADS * HD);
        g.output("present_key", t, 1, KV, "ctx", HD);
        g.output("present_value", t, 1, KV, "ctx", HD);
        List<AttributeProto> a = new ArrayList<>(List.of(attr("num_heads", (long) HEADS), attr("kv_num_heads", (long) KV)));
        if (scaleOne) a.add(attr("scale", 1f));
        g.node(OnnxGraph.MS, "GroupQueryAttention", List.of("q", "k", "v", "past_key", "past_value", "seqlens_k", "total"),
                List.of("attn", "present_key", "present_value"), a.toArray(new AttributeProto[0]));
        return g.model("attention bench", "GQA decode step");
    }

    /** The grouped formulation of one decode step's attention (see the class comment); the query comes pre-scaled. */
    private static ai.onnx.proto.OnnxMl.ModelProto groupedGraph() {
        DataType t = DataType.FLOAT;
        int g3 = HEADS / KV;
        OnnxGraph g = new OnnxGraph("grouped");
        g.input("q", t, 1, 1, HEADS * HD);
        g.input("k", t, 1, 1, KV * HD);
        g.input("v", t, 1, 1, KV * HD);
        g.input("cache_key", t, 1, KV, "T", HD);
        g.input("cache_value", t, 1, KV, "T", HD);
        g.output("attn", t, 1, 1, HEADS * HD);
        String qg = g.op("Reshape", "q", g.constInt64(KV, g3, HD));                           // [8,3,hd]
        String kc = g.op("Reshape", "cache_key", g.constInt64(KV, -1, HD));                   // [8,T,hd] (a view)
        String vc = g.op("Reshape", "cache_value", g.constInt64(KV, -1, HD));
        String kn = g.op("Reshape", "k", g.constInt64(KV, 1, HD));                            // [8,1,hd]
        String vn = g.op("Reshape", "v", g.constInt64(KV, 1, HD));
        String sc = g.opDomain(OnnxGraph.MS, "FusedMatMul", List.of(qg, kc), 1, attr("transB", 1L), attr("alpha", 1f))[0]; // [8,3,T]
        String sn = g.opDomain(OnnxGraph.MS, "FusedMatMul", List.of(qg, kn), 1, attr("transB", 1L), attr("alpha", 1f))[0]; // [8,3,1]
        String p = g.op("Softmax", g.op("Concat", List.of(sc, sn), attr("axis", -1L)), attr("axis", -1L));        // [8,3,T+1]
        String[] parts = g.opDomain("", "Split", List.of(p, g.op("Concat", List.of(g.op("Shape", sc, attr("start", 2L)),
                g.constInt64(1)), attr("axis", 0L))), 2, attr("axis", -1L));
        String o = g.op("Add", g.op("MatMul", parts[0], vc), g.op("MatMul", parts[1], vn));  // [8,3,hd]
        g.node("", "Reshape", List.of(o, g.constInt64(1, 1, HEADS * HD)), List.of("attn"));
        return g.model("attention bench", "grouped decode attention");
    }

    /** Two GQA nodes over half the KV heads each (see the class comment); the query comes pre-scaled. */
    private static ai.onnx.proto.OnnxMl.ModelProto splitGraph() {
        DataType t = DataType.FLOAT;
        OnnxGraph g = new OnnxGraph("split");
        g.input("q", t, 1, 1, HEADS * HD);
        g.input("k", t, 1, 1, KV * HD);
        g.input("v", t, 1, 1, KV * HD);
        for (int h = 0; h < 2; h++) {
            g.input("past_key_" + h, t, 1, KV / 2, "ctx", HD);
            g.input("past_value_" + h, t, 1, KV / 2, "ctx", HD);
        }
        g.input("seqlens_k", DataType.INT32, 1);
        g.input("total", DataType.INT32);
        g.output("attn", t, 1, 1, HEADS * HD);
        for (int h = 0; h < 2; h++) {
            g.output("present_key_" + h, t, 1, KV / 2, "ctx", HD);
            g.output("present_value_" + h, t, 1, KV / 2, "ctx", HD);
        }
        String[] q = g.opDomain("", "Split", List.of("q", g.constInt64(HEADS / 2 * HD, HEADS / 2 * HD)), 2, attr("axis", -1L));
        String[] k = g.opDomain("", "Split", List.of("k", g.constInt64(KV / 2 * HD, KV / 2 * HD)), 2, attr("axis", -1L));
        String[] v = g.opDomain("", "Split", List.of("v", g.constInt64(KV / 2 * HD, KV / 2 * HD)), 2, attr("axis", -1L));
        String[] attn = new String[2];
        for (int h = 0; h < 2; h++) {
            attn[h] = "attn_" + h;
            g.node(OnnxGraph.MS, "GroupQueryAttention", List.of(q[h], k[h], v[h], "past_key_" + h, "past_value_" + h, "seqlens_k", "total"),
                    List.of(attn[h], "present_key_" + h, "present_value_" + h),
                    attr("num_heads", (long) HEADS / 2), attr("kv_num_heads", (long) KV / 2), attr("scale", 1f));
        }
        g.node("", "Concat", List.of(attn[0], attn[1]), List.of("attn"), attr("axis", -1L));
        return g.model("attention bench", "two half GQAs");
    }

    /** The transposed-key formulation (see the class comment); the query comes pre-scaled. */
    private static ai.onnx.proto.OnnxMl.ModelProto gemvGraph() {
        DataType t = DataType.FLOAT;
        int g3 = HEADS / KV;
        OnnxGraph g = new OnnxGraph("gemv");
        g.input("q", t, 1, 1, HEADS * HD);
        g.input("k", t, 1, 1, KV * HD);
        g.input("v", t, 1, 1, KV * HD);
        g.input("cache_key", t, 1, KV, HD, "T");      // transposed
        g.input("cache_value", t, 1, KV, "T", HD);
        g.output("attn", t, 1, 1, HEADS * HD);
        String qg = g.op("Reshape", "q", g.constInt64(KV, g3, 1, HD));                         // [8,3,1,hd]
        String kt = g.op("Reshape", "cache_key", g.constInt64(KV, 1, HD, -1));                 // [8,1,hd,T]
        String vc = g.op("Reshape", "cache_value", g.constInt64(KV, 1, -1, HD));               // [8,1,T,hd]
        String kn = g.op("Reshape", "k", g.constInt64(KV, 1, HD, 1));                          // [8,1,hd,1]
        String vn = g.op("Reshape", "v", g.constInt64(KV, 1, 1, HD));                          // [8,1,1,hd]
        String sc = g.op("MatMul", qg, kt);                                                      // [8,3,1,T]
        String sn = g.op("MatMul", qg, kn);                                                      // [8,3,1,1]
        String p = g.op("Softmax", g.op("Concat", List.of(sc, sn), attr("axis", -1L)), attr("axis", -1L));
        String[] parts = g.opDomain("", "Split", List.of(p, g.op("Concat", List.of(g.op("Shape", sc, attr("start", 3L)),
                g.constInt64(1)), attr("axis", 0L))), 2, attr("axis", -1L));
        String o = g.op("Add", g.op("MatMul", parts[0], vc), g.op("MatMul", parts[1], vn));    // [8,3,1,hd]
        g.node("", "Reshape", List.of(o, g.constInt64(1, 1, HEADS * HD)), List.of("attn"));
        return g.model("attention bench", "transposed-key decode attention");
    }

    private static float[] rnd(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static OnnxTensor tensor(OrtEnvironment env, float[] x, boolean half, long d0, long d1, long d2, List<AutoCloseable> owned) throws Exception {
        long[] shape = {d0, d1, d2};
        if (!half) return own(owned, OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape));
        ByteBuffer b = ByteBuffer.allocateDirect(x.length * 2).order(ByteOrder.nativeOrder());
        for (float f : x) b.putShort(Float.floatToFloat16(f));
        b.rewind();
        return own(owned, OnnxTensor.createTensor(env, b, shape, OnnxJavaType.FLOAT16));
    }

    private static float[] floats(OnnxTensor t, boolean half) {
        ByteBuffer b = t.getByteBuffer().order(ByteOrder.nativeOrder());
        float[] out = new float[(int) t.getInfo().getNumElements()];
        for (int i = 0; i < out.length; i++) out[i] = half ? Float.float16ToFloat(b.getShort()) : b.getFloat();
        return out;
    }

    private static OnnxTensor own(List<AutoCloseable> owned, OnnxTensor t) {
        owned.add(t);
        return t;
    }
}
