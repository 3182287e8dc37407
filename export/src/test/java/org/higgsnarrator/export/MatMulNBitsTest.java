package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.higgsnarrator.export.onnx.OnnxGraph;
import org.higgsnarrator.tensors.DType;
import org.higgsnarrator.tensors.TensorInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The block quantizer's layout is what ORT's MatMulNBits reads: ORT's result equals x · dequant(W)^T computed here. */
class MatMulNBitsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"4,16", "4,32", "8,16", "8,32"})
    void ortMatchesOwnDequantization(int bits, int block) throws Exception {
        int n = 24, k = 64;
        Random rnd = new Random(bits * 100 + block);
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian() * 0.02f;
        MemorySegment seg = Arena.ofAuto().allocate(w.length * 4L);
        for (int i = 0; i < w.length; i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, w[i]);
        SourceTensor src = new SourceTensor("w", new long[] {n, k}, List.of(new SourceTensor.Part(
                new TensorInfo("w", tmp, DType.F32, new long[] {n, k}, 0, w.length * 4L), seg, n)));
        WeightEncoder.Quantized q;
        try (WeightFileWriter out = new WeightFileWriter(tmp.resolve("w.bin"))) {
            q = new WeightEncoder(out).quantized(src, "w", bits, block);
            out.finish();
        }
        // dequantize from the written bytes, as the format defines it
        byte[] file = Files.readAllBytes(tmp.resolve("w.bin"));
        int blocks = k / block, blob = block * bits / 8, zpRow = (blocks * bits + 7) / 8;
        float[] deq = new float[n * k];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < n; r++) {
            for (int b = 0; b < blocks; b++) {
                float scale = bb.getFloat((int) q.scales().entry().offset() + 4 * (r * blocks + b));
                int zb = file[(int) q.zeros().entry().offset() + r * zpRow + (bits == 8 ? b : b / 2)] & 0xff;
                int zp = bits == 8 ? zb : (b % 2 == 0 ? zb & 15 : zb >> 4);
                for (int i = 0; i < block; i++) {
                    int byteIdx = (int) q.b().entry().offset() + (r * blocks + b) * blob + (bits == 8 ? i : i / 2);
                    int v = file[byteIdx] & 0xff;
                    int code = bits == 8 ? v : (i % 2 == 0 ? v & 15 : v >> 4);
                    deq[r * k + b * block + i] = (code - zp) * scale;
                }
            }
        }
        double qerr = 0;
        for (int i = 0; i < w.length; i++) qerr = Math.max(qerr, Math.abs(deq[i] - w[i]));
        assertTrue(qerr < (bits == 8 ? 0.001 : 0.02), "quantization error " + qerr);

        OnnxGraph g = new OnnxGraph("t");
        g.input("x", DataType.FLOAT, 1, k);
        g.output("y", DataType.FLOAT, 1, n);
        g.node(OnnxGraph.MS, "MatMulNBits", List.of("x",
                        g.external(q.b().name(), q.b().type(), q.b().dims(), "w.bin", q.b().entry().offset(), q.b().entry().length()),
                        g.external(q.scales().name(), q.scales().type(), q.scales().dims(), "w.bin", q.scales().entry().offset(), q.scales().entry().length()),
                        g.external(q.zeros().name(), q.zeros().type(), q.zeros().dims(), "w.bin", q.zeros().entry().offset(), q.zeros().entry().length())),
                List.of("y"), OnnxGraph.attr("K", (long) k), OnnxGraph.attr("N", (long) n), OnnxGraph.attr("bits", (long) bits),
                OnnxGraph.attr("block_size", (long) block));
        Files.write(tmp.resolve("t.onnx"), g.model("test", "").toByteArray());
        float[] x = new float[k];
        for (int i = 0; i < k; i++) x[i] = (float) rnd.nextGaussian();
        var env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(tmp.resolve("t.onnx").toString(), new OrtSession.SessionOptions());
             OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, k});
             var res = s.run(Map.of("x", xt))) {
            float[] y = ((float[][]) res.get(0).getValue())[0];
            double max = 0;
            for (int r = 0; r < n; r++) {
                double ref = 0;
                for (int i = 0; i < k; i++) ref += x[i] * deq[r * k + i];
                max = Math.max(max, Math.abs(ref - y[r]));
            }
            assertTrue(max < 1e-4, bits + "-bit block " + block + ": ORT vs own dequant max |Δ| " + max);
        }
    }
}
