package org.higgsnarrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.Test;

/** The provider decision and its reason are explicit; asking for CUDA where it cannot work is a clear error. */
class OrtRuntimeTest {
    static boolean cudaBuild() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    @Test
    void cpuRequested() {
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
        assertEquals(Device.CPU, rt.device());
        assertTrue(rt.reason().contains("--device cpu"), rt.reason());
    }

    @Test
    void autoOnTheCpuBuildFallsBackWithAReason() {
        if (cudaBuild()) return; // with the GPU jar the decision happens at the first session
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults());
        assertEquals(Device.CPU, rt.device());
        assertTrue(rt.reason().contains("no CUDA provider"), rt.reason());
    }

    @Test
    void cudaRequestedOnTheCpuBuildIsAClearError() {
        if (cudaBuild()) return;
        var e = assertThrows(IllegalStateException.class, () -> new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CUDA)));
        assertTrue(e.getMessage().contains("-Pgpu") && e.getMessage().contains("--device cpu"), e.getMessage());
    }
}
