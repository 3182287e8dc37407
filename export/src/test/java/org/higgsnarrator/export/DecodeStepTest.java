package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.higgsnarrator.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decode-step graph and the in-place KV cache agree with prefill and with the reference's generation. */
class DecodeStepTest {
    @TempDir
    static Path tmp;
    static OrtRuntime rt;
    static OrtAudioLanguageModel model;

    @BeforeAll
    static void setUp() {
        Path pkg = tmp.resolve("pkg");
        Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withMaxContext(1024), List.of(), Exporter.Progress.SILENT);
        rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
        model = new OrtAudioLanguageModel(ModelPackage.open(pkg, false), rt);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    static double maxDiff(float[] a, float[] b, int bOff) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[bOff + i]));
        return m;
    }

    @Test
    void stepEqualsPrefillOfPromptPlusFrame() {
        ModelConfig c = model.config();
        try (SafeTensorsFile g = KitFixture.golden()) {
            long[] ids = KitFixture.inputIds("clone");
            int[][] frames = KitFixture.audioFrames(g, "clone");
            int[][] extra = {{1024, 3, 5, 7, 11, 13, 17, 19}, {1, 2, 3, 4, 5, 6, 7, 1025}};
            float[] stepped;
            try (var st = model.newState(ids.length + 2)) {
                model.prefill(st, ids, frames, 1);
                model.step(st, extra[0]);
                stepped = model.step(st, extra[1]);
                assertEquals(ids.length + 2, st.position());
            }
            long[] ids2 = Arrays.copyOf(ids, ids.length + 2);
            ids2[ids.length] = c.tokens().audioOut();
            ids2[ids.length + 1] = c.tokens().audioDelay();
            int[][] frames2 = Arrays.copyOf(frames, frames.length + 2);
            frames2[frames.length] = extra[0];
            frames2[frames.length + 1] = extra[1];
            float[] full;
            try (var st = model.newState(ids2.length)) {
                full = model.prefill(st, ids2, frames2, 1)[0];
            }
            double d = maxDiff(stepped, full, 0);
            assertTrue(d < 1e-4, "step vs prefill max |Δ| " + d);
        }
    }

    @Test
    void teacherForcedStepsMatchGoldenGeneration() {
        try (SafeTensorsFile g = KitFixture.golden()) {
            for (String p : List.of("plain", "clone", "dialogue")) {
                long[] ids = KitFixture.inputIds(p);
                int[][] frames = KitFixture.audioFrames(g, p);
                float[] want = g.floats("prompt." + p + ".gen_step_logits");
                long[] seq = g.longs("prompt." + p + ".gen_audio_sequences");
                int k = model.config().numCodebooks(), w = k * model.config().codebookEntries();
                int steps = want.length / w;
                double worst = 0;
                try (var st = model.newState(ids.length + steps)) {
                    float[] logits = model.prefill(st, ids, frames, 1)[0];
                    for (int s = 0; s < steps; s++) {
                        worst = Math.max(worst, maxDiff(logits, want, s * w));
                        if (s + 1 == steps) break;
                        int[] frame = new int[k];
                        for (int j = 0; j < k; j++) frame[j] = (int) seq[(frames.length + s) * k + j];
                        logits = model.step(st, frame);
                    }
                }
                System.out.println(p + ": " + steps + " teacher-forced steps, max |Δ| " + worst);
                assertTrue(worst <= 1e-3, p + ": max |Δ| " + worst);
            }
        }
    }

    @Test
    void prefillInTwoChunksEqualsOnePrefill() {
        ModelConfig c = model.config();
        try (SafeTensorsFile g = KitFixture.golden()) {
            long[] ids = KitFixture.inputIds("dialogue");
            int[][] frames = KitFixture.audioFrames(g, "dialogue");
            float[] whole;
            try (var st = model.newState(ids.length)) {
                whole = model.prefill(st, ids, frames, 1)[0];
            }
            // split in the middle of the first reference clip: the second chunk continues on the cache
            int cut = 0, audioBefore = 0;
            for (int i = 0; i < ids.length; i++) {
                boolean audio = ids[i] == c.tokens().audioOut() || ids[i] == c.tokens().audioDelay();
                if (audio) audioBefore++;
                if (audio && audioBefore == 5) {
                    cut = i + 1;
                    break;
                }
            }
            assertTrue(cut > 0);
            long[] a = Arrays.copyOfRange(ids, 0, cut), b = Arrays.copyOfRange(ids, cut, ids.length);
            float[] chunked;
            try (var st = model.newState(ids.length)) {
                model.prefill(st, a, Arrays.copyOfRange(frames, 0, 5), 1);
                chunked = model.prefill(st, b, Arrays.copyOfRange(frames, 5, frames.length), 1)[0];
            }
            double d = maxDiff(chunked, whole, 0);
            assertTrue(d < 1e-4, "chunked vs whole prefill max |Δ| " + d);
        }
    }

    @Test
    void cacheOverflowAndBadFramesAreClearErrors() {
        long[] ids = KitFixture.inputIds("plain");
        try (var st = model.newState(ids.length)) {
            model.prefill(st, ids, new int[0][], 1);
            var e = assertThrows(IllegalStateException.class, () -> model.step(st, new int[8]));
            assertTrue(e.getMessage().contains("KV cache full"), e.getMessage());
        }
        try (var st = model.newState(200)) {
            var e = assertThrows(IllegalArgumentException.class, () -> model.prefill(st, KitFixture.inputIds("clone"), new int[0][], 1));
            assertTrue(e.getMessage().contains("more audio positions"), e.getMessage());
        }
    }
}
