package org.higgsnarrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.higgsnarrator.pkg.ElementType;
import org.junit.jupiter.api.Test;

class CudaPlacementTest {
    @Test
    void onlyAnFp16KvCacheKeepsAttentionOnCuda() {
        assertEquals(Optional.empty(), CudaPlacement.attentionOnCpu(Device.CUDA, ElementType.FLOAT16));
        assertTrue(CudaPlacement.attentionOnCpu(Device.CUDA, ElementType.FLOAT32).orElseThrow().contains("use an fp16, int8-fp16 or int4-fp16 package"));
        assertEquals(Optional.empty(), CudaPlacement.attentionOnCpu(Device.CPU, ElementType.FLOAT32));
    }
}
