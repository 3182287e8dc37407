package org.higgsnarrator.export;

import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** fp16/int8/int4 packages run on ORT CPU and stay close to the fp32 package (KL of each codebook's distribution). */
class QuantizedExportTest {
    @TempDir
    static Path tmp;

    static float[][] last4(Path pkg, String prompt) {
        try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
             OrtAudioLanguageModel m = new OrtAudioLanguageModel(ModelPackage.open(pkg, false), rt);
             SafeTensorsFile g = KitFixture.golden()) {
            long[] ids = KitFixture.inputIds(prompt);
            try (var st = m.newState(ids.length)) {
                return m.prefill(st, ids, KitFixture.audioFrames(g, prompt), 4);
            }
        }
    }

    static double limit(Precision p) {
        return switch (p) {
            case FP16 -> 1e-3;
            case INT8, INT8_FP16 -> 0.01;
            default -> 0.2;
        };
    }

    /**
     * int8-fp16/int4-fp16: the layer matrices' MatMulNBits take fp16 input with fp16 scales (the CUDA fp16 kernels),
     * the KV cache and every GroupQueryAttention are fp16, and the audio head keeps fp32 input and scales.
     */
    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"INT8_FP16", "INT4_FP16"})
    void fp16ActivationPackagesComputeInFp16BetweenQuantizedMatrices(Precision p) throws Exception {
        Path out = export(p);
        ModelPackage pkg = ModelPackage.open(out, false);
        org.junit.jupiter.api.Assertions.assertEquals(org.higgsnarrator.pkg.ElementType.FLOAT16, pkg.kvType());
        org.junit.jupiter.api.Assertions.assertEquals(p, pkg.manifest().precision());
        var model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(out.resolve("decode_step.onnx")));
        java.util.Map<String, Integer> types = new java.util.HashMap<>();
        for (var t : model.getGraph().getInitializerList()) types.put(t.getName(), t.getDataType());
        int fp16 = ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT16_VALUE, fp32 = ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE;
        var nbits = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMulNBits")).toList();
        assertTrue(nbits.size() > 7, "quantized matrices");
        for (var n : nbits) {
            int scale = types.get(n.getInput(2));
            if (n.getInput(0).contains("audio_lm_head") || n.getInput(2).contains("audio_lm_head")) {
                org.junit.jupiter.api.Assertions.assertEquals(fp32, scale, "the head keeps fp32 scales: " + n.getName());
            } else {
                org.junit.jupiter.api.Assertions.assertEquals(fp16, scale, "fp16 scales: " + n.getInput(2));
            }
        }
        for (var in : model.getGraph().getInputList()) {
            if (in.getName().startsWith("past_key_values")) org.junit.jupiter.api.Assertions.assertEquals(fp16, in.getType().getTensorType().getElemType());
        }
    }

    static Path export(Precision p) {
        Path out = tmp.resolve(p.id());
        if (!java.nio.file.Files.exists(out)) {
            Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, out, ExportOptions.defaults().withPrecision(p).withMaxContext(512).withBlockSize(Integer.getInteger("blk", 32)), List.of(), Exporter.Progress.SILENT);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP16", "INT8", "INT4", "INT8_FP16", "INT4_FP16"})
    void klAgainstFp32(Precision p) {
        // int4 on the tiny random-weight model lands at ~0.08 (block 32, see docs/converter.md); 0.2 still catches a
        // broken quantizer (wrong packing gives KL ≫ 1)
        double limit = limit(p);
        Path ref = export(Precision.FP32), q = export(p);
        int k = 8, c = 1026;
        for (String prompt : List.of("plain", "clone", "dialogue")) {
            float[][] a = last4(ref, prompt), b = last4(q, prompt);
            double worst = 0;
            for (int j = 0; j < k; j++) {
                double kl = 0;
                for (int r = 0; r < 4; r++) kl += org.higgsnarrator.decode.Divergence.kl(a[r], b[r], j * c, c) / 4;
                worst = Math.max(worst, kl);
            }
            System.out.printf("%s %s worst per-codebook KL %.3e%n", p.id(), prompt, worst);
            assertTrue(worst <= limit, p + " " + prompt + ": KL " + worst);
        }
    }

    /** Every MatMulNBits of both graphs carries the chosen accuracy_level (4 by default: int8 compute, fast on CPU). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 4})
    void matMulNBitsCarryTheAccuracyLevel(int level) throws Exception {
        Path out = tmp.resolve("int4-acc" + level);
        Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, out, ExportOptions.defaults().withPrecision(Precision.INT4)
                .withMaxContext(512).withAccuracyLevel(level), List.of(), Exporter.Progress.SILENT);
        for (String graph : List.of("prefill.onnx", "decode_step.onnx")) {
            var model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(out.resolve(graph)));
            var nodes = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMulNBits")).toList();
            assertTrue(!nodes.isEmpty(), graph + " has MatMulNBits nodes");
            for (var n : nodes) {
                long got = n.getAttributeList().stream().filter(a -> a.getName().equals("accuracy_level")).findFirst().orElseThrow().getI();
                org.junit.jupiter.api.Assertions.assertEquals(level, got, graph + " " + n.getName());
            }
        }
        if (level == 4) org.junit.jupiter.api.Assertions.assertEquals(4, ExportOptions.defaults().accuracyLevel(), "int8 compute is the default");
    }

    /** Decode steps (KV cache in the package's dtype, fp16 included) stay close to fp32 too. */
    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP16", "INT8", "INT4", "INT8_FP16", "INT4_FP16"})
    void teacherForcedStepsAgainstFp32(Precision p) {
        double limit = limit(p);
        float[][] a = steps(export(Precision.FP32)), b = steps(export(p));
        double worst = 0;
        for (int s = 0; s < a.length; s++) for (int j = 0; j < 8; j++) worst = Math.max(worst, org.higgsnarrator.decode.Divergence.kl(a[s], b[s], j * 1026, 1026));
        System.out.printf("%s: 10 teacher-forced steps, worst per-codebook KL %.3e%n", p.id(), worst);
        assertTrue(worst <= limit, p + ": KL " + worst);
    }

    static float[][] steps(Path pkg) {
        try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
             OrtAudioLanguageModel m = new OrtAudioLanguageModel(ModelPackage.open(pkg, false), rt);
             SafeTensorsFile g = KitFixture.golden()) {
            long[] ids = KitFixture.inputIds("clone");
            long[] seq = g.longs("prompt.clone.gen_audio_sequences");
            int[][] frames = KitFixture.audioFrames(g, "clone");
            float[][] out = new float[10][];
            try (var st = m.newState(ids.length + 10)) {
                out[0] = m.prefill(st, ids, frames, 1)[0];
                for (int s = 1; s < 10; s++) {
                    int[] f = new int[8];
                    for (int j = 0; j < 8; j++) f[j] = (int) seq[(frames.length + s - 1) * 8 + j];
                    out[s] = m.step(st, f);
                }
            }
            return out;
        }
    }
}
