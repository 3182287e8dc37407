package org.higgsnarrator.export;

import static org.higgsnarrator.export.onnx.OnnxGraph.attr;

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
import org.higgsnarrator.export.onnx.OnnxGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One decode step's attention (28 GQA calls over 28 caches, 24 query / 8 KV heads of 128) with ORT 1.29's CPU
 * quantized KV cache against the fp32 cache (tag "large"): {@code fp32} (scale folded, graphs revision 4+),
 * {@code int8-channel} / {@code int8-tensor} ({@code k_quant_type}/{@code v_quant_type} PER_CHANNEL / PER_TENSOR,
 * {@code kv_cache_bit_width} 8, scales as inputs 12 and 13). The caches are filled by a prefill call of each graph
 * (so the quantized ones hold what GQA wrote), then the decode step is timed, variants interleaved round by round;
 * the report gives each variant's largest |Δ| of the attention output against fp32.
 */
@Tag("large")
class QuantizedKvBench {
    static final int HEADS = 24, KV = 8, HD = 128, LAYERS = 28;

    @Test
    void quantizedAgainstFloatCache(@TempDir Path tmp) throws Exception {
        int capacity = Integer.getInteger("kv.capacity", 2100), rounds = Integer.getInteger("kv.rounds", 9);
        int[] contexts = Arrays.stream(System.getProperty("kv.contexts", "256,2048").split(",")).mapToInt(Integer::parseInt).toArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String[] names = {"fp32", "int8-channel", "int8-tensor"};
        OrtSession[] sessions = new OrtSession[names.length];
        for (int v = 0; v < names.length; v++) {
            Path f = tmp.resolve(names[v] + ".onnx");
            Files.write(f, graph(v == 0 ? null : v == 1 ? "PER_CHANNEL" : "PER_TENSOR").toByteArray());
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            so.setIntraOpNumThreads(Integer.getInteger("kv.threads", 2));
            sessions[v] = env.createSession(f.toString(), so);
        }
        List<AutoCloseable> owned = new ArrayList<>();
        Random r = new Random(1);
        // K/V values ~ N(0, 1), a few channels 4× larger (keys have outlier channels); scales cover 5 sigma
        float[] chanScale = new float[KV * HD];
        for (int i = 0; i < chanScale.length; i++) chanScale[i] = i % 37 == 0 ? 4f : 1f;
        float[] kScaleCh = new float[KV * HD], vScaleCh = new float[KV * HD];
        for (int i = 0; i < KV * HD; i++) kScaleCh[i] = vScaleCh[i] = 5f * chanScale[i] / 127f;
        OnnxTensor kS = own(owned, OnnxTensor.createTensor(env, kScaleCh)), vS = own(owned, OnnxTensor.createTensor(env, vScaleCh));
        OnnxTensor kT = own(owned, OnnxTensor.createTensor(env, new float[] {20f / 127f})), vT = own(owned, OnnxTensor.createTensor(env, new float[] {20f / 127f}));
        StringBuilder report = new StringBuilder();
        for (int context : contexts) {
            // per variant and layer: caches filled by a prefill of context-1 random positions
            OnnxTensor[][][] cache = new OnnxTensor[names.length][LAYERS][2];
            float[] pk = new float[(context - 1) * KV * HD], pv = new float[pk.length], pq = new float[(context - 1) * HEADS * HD];
            for (int i = 0; i < pk.length; i++) {
                pk[i] = (float) r.nextGaussian() * chanScale[i % (KV * HD)];
                pv[i] = (float) r.nextGaussian() * chanScale[i % (KV * HD)];
            }
            for (int i = 0; i < pq.length; i++) pq[i] = (float) r.nextGaussian() / (float) Math.sqrt(HD);
            for (int v = 0; v < names.length; v++) {
                for (int l = 0; l < LAYERS; l++) {
                    for (int kv = 0; kv < 2; kv++) {
                        long n = (long) KV * capacity * HD;
                        ByteBuffer b = ByteBuffer.allocateDirect((int) (n * (v == 0 ? 4 : 1))).order(ByteOrder.nativeOrder());
                        long[] shape = {1, KV, capacity, HD};
                        cache[v][l][kv] = own(owned, v == 0 ? OnnxTensor.createTensor(env, b.asFloatBuffer(), shape) : OnnxTensor.createTensor(env, b, shape, OnnxJavaType.INT8));
                    }
                    Map<String, OnnxTensor> in = inputs(env, owned, pq, pk, pv, context - 1, 0, cache[v][l], v == 1 ? kS : kT, v == 1 ? vS : vT, v > 0);
                    Map<String, OnnxValue> pinned = Map.of("present_key", cache[v][l][0], "present_value", cache[v][l][1]);
                    try (OrtSession.Result res = sessions[v].run(in, java.util.Set.of("attn"), pinned)) {
                        res.get(0);
                    }
                }
            }
            float[] q = new float[HEADS * HD], k = new float[KV * HD], vv = new float[KV * HD];
            for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian() / (float) Math.sqrt(HD);
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) r.nextGaussian() * chanScale[i];
                vv[i] = (float) r.nextGaussian() * chanScale[i];
            }
            double[][] ms = new double[names.length][rounds];
            float[][] out = new float[names.length][];
            for (int round = 0; round < rounds; round++) {
                for (int j = 0; j < names.length; j++) {
                    int v = (j + round) % names.length;
                    long t0 = System.nanoTime();
                    for (int l = 0; l < LAYERS; l++) {
                        Map<String, OnnxTensor> in = inputs(env, owned, q, k, vv, 1, context - 1, cache[v][l], v == 1 ? kS : kT, v == 1 ? vS : vT, v > 0);
                        Map<String, OnnxValue> pinned = Map.of("present_key", cache[v][l][0], "present_value", cache[v][l][1]);
                        try (OrtSession.Result res = sessions[v].run(in, java.util.Set.of("attn"), pinned)) {
                            if (l == 0 && round == 0) {
                                FloatBuffer fb = ((OnnxTensor) res.get("attn").orElseThrow()).getFloatBuffer();
                                out[v] = new float[fb.remaining()];
                                fb.get(out[v]);
                            }
                        }
                    }
                    ms[v][round] = (System.nanoTime() - t0) / 1e6;
                }
            }
            report.append(String.format("context %d (load %s):", context, Files.readString(Path.of("/proc/loadavg")).trim()));
            for (int v = 0; v < names.length; v++) {
                double[] s = ms[v].clone();
                Arrays.sort(s);
                double d = 0, mag = 0;
                for (int i = 0; i < out[0].length; i++) {
                    d = Math.max(d, Math.abs(out[v][i] - out[0][i]));
                    mag = Math.max(mag, Math.abs(out[0][i]));
                }
                report.append(String.format("  %s median %.1f ms, best %.1f ms, max |Δ| %.2e (of max %.2f);", names[v], s[s.length / 2], s[0], d, mag));
            }
            report.append(System.lineSeparator());
        }
        System.out.print(report);
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "quantized-kv-bench.txt"), report);
        for (AutoCloseable c : owned) c.close();
        for (OrtSession s : sessions) s.close();
    }

    private static Map<String, OnnxTensor> inputs(OrtEnvironment env, List<AutoCloseable> owned, float[] q, float[] k, float[] v, int s, int past,
                                                  OnnxTensor[] cache, OnnxTensor kScale, OnnxTensor vScale, boolean quantized) throws Exception {
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("q", own(owned, OnnxTensor.createTensor(env, FloatBuffer.wrap(q), new long[] {1, s, HEADS * HD})));
        in.put("k", own(owned, OnnxTensor.createTensor(env, FloatBuffer.wrap(k), new long[] {1, s, KV * HD})));
        in.put("v", own(owned, OnnxTensor.createTensor(env, FloatBuffer.wrap(v), new long[] {1, s, KV * HD})));
        in.put("past_key", cache[0]);
        in.put("past_value", cache[1]);
        in.put("seqlens_k", own(owned, OnnxTensor.createTensor(env, new int[] {past + s - 1})));
        in.put("total", own(owned, OnnxTensor.createTensor(env, past + s)));
        if (quantized) {
            in.put("k_scale", kScale);
            in.put("v_scale", vScale);
        }
        return in;
    }

    private static ai.onnx.proto.OnnxMl.ModelProto graph(String quant) {
        OnnxGraph g = new OnnxGraph("gqa");
        DataType cacheType = quant == null ? DataType.FLOAT : DataType.INT8;
        g.input("q", DataType.FLOAT, 1, "s", HEADS * HD);
        g.input("k", DataType.FLOAT, 1, "s", KV * HD);
        g.input("v", DataType.FLOAT, 1, "s", KV * HD);
        g.input("past_key", cacheType, 1, KV, "ctx", HD);
        g.input("past_value", cacheType, 1, KV, "ctx", HD);
        g.input("seqlens_k", DataType.INT32, 1);
        g.input("total", DataType.INT32);
        if (quant != null) {
            g.input("k_scale", DataType.FLOAT, "n");
            g.input("v_scale", DataType.FLOAT, "n");
        }
        g.output("attn", DataType.FLOAT, 1, "s", HEADS * HD);
        g.output("present_key", cacheType, 1, KV, "ctx", HD);
        g.output("present_value", cacheType, 1, KV, "ctx", HD);
        List<AttributeProto> a = new ArrayList<>(List.of(attr("num_heads", (long) HEADS), attr("kv_num_heads", (long) KV), attr("scale", 1f)));
        List<String> ins = new ArrayList<>(List.of("q", "k", "v", "past_key", "past_value", "seqlens_k", "total"));
        if (quant != null) {
            a.add(attr("k_quant_type", quant));
            a.add(attr("v_quant_type", quant));
            a.add(attr("kv_cache_bit_width", 8L));
            ins.addAll(List.of("", "", "", "", "", "k_scale", "v_scale"));
        }
        g.node(OnnxGraph.MS, "GroupQueryAttention", ins, List.of("attn", "present_key", "present_value"), a.toArray(new AttributeProto[0]));
        return g.model("quantized kv bench", "GQA decode step");
    }

    private static OnnxTensor own(List<AutoCloseable> owned, OnnxTensor t) {
        owned.add(t);
        return t;
    }
}
