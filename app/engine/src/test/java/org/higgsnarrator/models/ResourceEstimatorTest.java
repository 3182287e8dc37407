package org.higgsnarrator.models;

import org.higgsnarrator.pkg.Precision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.higgsnarrator.config.ModelConfig;
import org.junit.jupiter.api.Test;

class ResourceEstimatorTest {
    /** The released generation model, dims from its config.json as recorded in docs/higgs-model-spec.md. */
    static ModelConfig released() {
        ModelConfig.SpecialTokens t = new ModelConfig.SpecialTokens(128000, 128001, 128006, 128007, 128009, 128011, 128012, 128013, 128014,
                128015, 128016, 1024, 1025);
        return new ModelConfig(3072, 8192, 28, 24, 8, 128, 128256, 1e-5, new ModelConfig.Rope("llama3", 500000, 32, 1, 4, 8192), 131072,
                3072, 8192, IntStream.range(0, 28).boxed().toList(), 8, 1024, true, t);
    }

    @Test
    void releasedModelCountMatchesTheCheckpointSize() {
        ModelConfig c = released();
        long counted = ResourceEstimator.count(c, 0).generationModel();
        long textHead = (long) c.vocabSize() * c.hiddenSize(); // in the checkpoint, skipped by the converter
        double checkpointParams = 11.54e9 / 2;                 // 11.54 GB of bf16 weights (the release's three shards)
        double rel = Math.abs(counted + textHead - checkpointParams) / checkpointParams;
        assertTrue(rel < 0.005, "counted " + counted + " + text head " + textHead + " vs " + checkpointParams + " (rel " + rel + ")");
    }

    @Test
    void smallerPrecisionsNeedLessAndEmbeddingsStayAtHalfPrecision() {
        ModelConfig c = released();
        var all = ResourceEstimator.estimateAll(c, 200_000_000L, 9_000_000L, 4096);
        long fp32 = all.get(Precision.FP32).packageBytes(), fp16 = all.get(Precision.FP16).packageBytes();
        long int8 = all.get(Precision.INT8).packageBytes(), int4 = all.get(Precision.INT4).packageBytes();
        assertTrue(fp32 > fp16 && fp16 > int8 && int8 > int4, List.of(fp32, fp16, int8, int4).toString());
        var n = ResourceEstimator.count(c, 200_000_000L);
        long expectedInt4 = Math.round(n.embeddings() * 2.0 + n.matrices() * 0.625) + 4 * n.norms() + 4 * n.codec() + 9_000_000L;
        assertEquals(expectedInt4, int4);
        // KV cache: 28 layers · 2 · 8 heads · 128 · 4096 positions · 4 bytes = 939,524,096.
        assertEquals(939_524_096L, all.get(Precision.INT4).kvCacheBytes());
        assertEquals(939_524_096L / 2, all.get(Precision.FP16).kvCacheBytes(), "fp16 packages keep an fp16 KV cache");
        // the prefill session's prepacked copy of the matrices (RuntimeOptions.prepackPrefill): one more copy at 0.625 B/weight
        long prepack = Math.round(n.matrices() * 0.625);
        assertEquals(prepack, all.get(Precision.INT4).prepackBytes());
        assertEquals(int4 - 9_000_000L + prepack + 939_524_096L + ResourceEstimator.RUNTIME_OVERHEAD, all.get(Precision.INT4).ramBytes());
    }

    @Test
    void fastForwardedLayersCarryNoAudioMlp() {
        ModelConfig all = ModelStoreTest.smallConfig();
        ModelConfig one = new ModelConfig(32, 64, 2, 4, 2, 8, 128256, 1e-5, all.rope(), 131072, 32, 64, List.of(1), 8, 1024, true, all.tokens());
        long diff = ResourceEstimator.count(all, 0).matrices() - ResourceEstimator.count(one, 0).matrices();
        assertEquals(3L * 32 * 64, diff);
    }
}
