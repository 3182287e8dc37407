package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.higgsnarrator.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.engine.DecodeBench;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `bench decode` measures runs on a real converted package, and its byte count is what the package stores. */
class DecodeBenchTest {
    @Test
    void stepsAtTwoContextsAndPrefillRunOnAConvertedPackageAndTheBytesPerStepAreWhatTheGraphReads(@TempDir Path tmp) throws Exception {
        var rope = new ModelConfig.Rope("llama3", 500000, 32, 1, 4, 8192);
        var t = DecodeBench.releaseTokens();
        ModelConfig c = new ModelConfig(64, 128, 2, 4, 2, 16, 128256, 1e-5, rope, 4096, 64, 128,
                IntStream.range(0, 2).boxed().toList(), 8, 1024, true, t);
        Path ckpt = tmp.resolve("ckpt");
        SyntheticCheckpoint.write(ckpt, c, 1, true, 3);
        for (Precision precision : List.of(Precision.FP32, Precision.INT4, Precision.INT8)) {
            Path pkg = tmp.resolve("pkg-" + precision);
            Exporter.export(ckpt, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withPrecision(precision).withMaxContext(512),
                    List.of(), Exporter.Progress.SILENT);
            // the formula (bench memory's ceiling, the studio's estimates) = the matrices the decode_step graph reads
            assertEquals(DecodeBench.bytesPerStep(c, c.numLayers(), precision), GraphWeights.matrixBytes(pkg.resolve("decode_step.onnx")), precision.id());
            if (precision != Precision.INT4) continue;
            try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
                 OrtAudioLanguageModel m = new OrtAudioLanguageModel(ModelPackage.open(pkg, true), rt)) {
                var sp = DecodeBench.stepsPerSecond(m, 40, 300, 2, 4, () -> 1e10);
                assertEquals(42, sp.shortContext());
                assertEquals(302, sp.longContext());
                assertTrue(sp.shortStepsPerSecond() > 0 && Double.isFinite(sp.longStepsPerSecond()), sp.toString());
                // --rounds: the same positions every round (rewound, jumped again), medians of the rounds
                int[] probes = {0};
                var rounds = DecodeBench.stepsPerSecond(m, 40, 300, 2, 4, 3, () -> 1e10 + probes[0]++);
                assertEquals(42, rounds.shortContext());
                assertEquals(302, rounds.longContext());
                assertEquals(9, probes[0], "the bandwidth probed before, between and after the two timings of each of 3 rounds");
                assertTrue(rounds.shortStepsPerSecond() > 0 && rounds.longStepsPerSecond() > 0, rounds.toString());
                double prefill = DecodeBench.prefillTokensPerSecond(m, 40, 1);
                assertTrue(prefill > 0 && Double.isFinite(prefill), "prefill tokens/s " + prefill);
            }
        }
        assertEquals(2L * 2 * 2 * 16 * 100 * 4, DecodeBench.kvBytesPerStep(c, 100, 4), "K and V × layers × kv heads × head_dim × positions × 4 bytes");
    }
}
