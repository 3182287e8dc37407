package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.higgsnarrator.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.engine.DecodeBench;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `bench decode` measures runs on a real converted package, and its byte count is what the package stores. */
class DecodeBenchTest {
    @Test
    void stepsAndPrefillRunOnAConvertedPackageAndTheBytesPerStepMatchTheWeightFile(@TempDir Path tmp) throws Exception {
        var rope = new ModelConfig.Rope("llama3", 500000, 32, 1, 4, 8192);
        var t = DecodeBench.releaseTokens();
        ModelConfig c = new ModelConfig(64, 128, 2, 4, 2, 16, 128256, 1e-5, rope, 4096, 64, 128,
                IntStream.range(0, 2).boxed().toList(), 8, 1024, true, t);
        Path ckpt = tmp.resolve("ckpt"), pkg = tmp.resolve("pkg");
        SyntheticCheckpoint.write(ckpt, c, 1, true, 3);
        Exporter.export(ckpt, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withMaxContext(512), List.of(), Exporter.Progress.SILENT);
        try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
             OrtAudioLanguageModel m = new OrtAudioLanguageModel(ModelPackage.open(pkg, true), rt)) {
            double steps = DecodeBench.stepsPerSecond(m, 40, 2, 4);
            double prefill = DecodeBench.prefillTokensPerSecond(m, 40, 1);
            assertTrue(steps > 0 && Double.isFinite(steps), "steps/s " + steps);
            assertTrue(prefill > 0 && Double.isFinite(prefill), "prefill tokens/s " + prefill);
        }
        // fp32: what one step reads (attention + audio MLP of every layer, the audio head) is part of the weight file, and
        // the rest of the file is the text side and the tables a decode step never reads
        long perStep = DecodeBench.bytesPerStep(c, c.numLayers(), org.higgsnarrator.pkg.Precision.FP32);
        long textMlp = 3L * c.hiddenSize() * c.intermediateSize() * c.numLayers() * 4;
        long file = Files.size(pkg.resolve("model.weights"));
        assertTrue(perStep + textMlp <= file, perStep + " + " + textMlp + " > " + file);
        assertEquals(4L * ((long) c.hiddenSize() * 64 * 2 + (long) c.hiddenSize() * 32 * 2 + 3L * c.hiddenSize() * c.audioFfnIntermediateSize()),
                DecodeBench.weightsPerLayer(c) * 4, "q, o: hidden × heads·hd; k, v: hidden × kv·hd; gate/up/down");
    }
}
