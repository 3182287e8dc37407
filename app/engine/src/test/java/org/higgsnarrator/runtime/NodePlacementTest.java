package org.higgsnarrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.higgsnarrator.pkg.ElementType;
import org.higgsnarrator.pkg.ModelPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The placement report's code path on the CPU: the bundled tiny package opened with the report on runs one profiled
 * decode step through ORT, and the profile is read back node by node (the same path a CUDA session takes at load).
 */
class NodePlacementTest {
    static final Path TINY = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");

    @TempDir
    Path dir;

    @Test
    void oneProfiledDecodeStepSaysWhereEveryNodeRan() {
        ModelPackage pkg = ModelPackage.open(TINY, false);
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU).withPlacementReport(true));
        try (OrtAudioLanguageModel m = new OrtAudioLanguageModel(pkg, rt)) {
            NodePlacement p = m.placement();
            int layers = m.config().numLayers();
            assertEquals(layers, p.nodes().get(NodePlacement.CPU).get("GroupQueryAttention"), p.toString());
            assertEquals(p.total(), p.on(NodePlacement.CPU));
            assertEquals(0, p.on(NodePlacement.CUDA));
            assertTrue(p.total() > 10 * layers, p.summary());
            assertEquals("all " + p.total() + " decode-step nodes on the CPU", p.summary());
            // what a CUDA session with this placement would be told
            String why = CudaPlacement.attentionOnCpu(Device.CUDA, ElementType.FLOAT32, p).orElseThrow();
            assertTrue(why.contains("ORT ran " + layers + " GroupQueryAttention nodes on the CPU"), why);
            // and the model still decodes normally after the probe (profiling ended, the probe's cache gone)
            try (var st = m.newState(8)) {
                m.step(st, new int[m.config().numCodebooks()]);
                assertEquals(1, st.position());
            }
        }
        try (OrtAudioLanguageModel plain = new OrtAudioLanguageModel(pkg, new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU)))) {
            assertNull(plain.placement(), "no report on the CPU unless asked");
        }
    }

    @Test
    void aMixedProfileIsSummarisedWithTheCpuOps() throws Exception {
        Path f = dir.resolve("profile.json");
        Files.writeString(f, """
                [{"cat":"Session","name":"model_run","args":{}},
                 {"cat":"Node","name":"q_kernel_time","args":{"op_name":"MatMulNBits","provider":"CUDAExecutionProvider"}},
                 {"cat":"Node","name":"q_fence_before","args":{"op_name":"MatMulNBits"}},
                 {"cat":"Node","name":"k_kernel_time","args":{"op_name":"MatMulNBits","provider":"CUDAExecutionProvider"}},
                 {"cat":"Node","name":"attn_kernel_time","args":{"op_name":"GroupQueryAttention","provider":"CPUExecutionProvider"}},
                 {"cat":"Node","name":"copy_kernel_time","args":{"op_name":"MemcpyToHost","provider":"CUDAExecutionProvider"}}]
                """);
        NodePlacement p = NodePlacement.fromProfile(f);
        assertEquals("3 decode-step nodes on CUDA, 1 on CPU (GroupQueryAttention×1)", p.summary());
        assertTrue(p.onCpu("GroupQueryAttention"));
        assertFalse(p.onCpu("MatMulNBits"));
        assertTrue(CudaPlacement.attentionOnCpu(Device.CUDA, ElementType.FLOAT16, p).isPresent(), "measured beats predicted");
    }
}
