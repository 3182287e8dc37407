package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.config.ReferencePipeline;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.decode.BatchGenerationLoop;
import org.higgsnarrator.decode.GenerationLoop;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.decode.PromptTokens;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched decoding on the kit's converted model (real ORT sessions, the decode_step graph with a symbolic batch):
 * sequences decoded together give what each gives alone, slots that end leave the batch, N takes of one prompt are
 * prefilled once.
 */
class BatchDecodeTest {
    @TempDir
    static Path tmp;
    static AudioLanguageModel model;
    static List<PromptTokens> prompts = new ArrayList<>();

    @BeforeAll
    static void open() {
        Path pkg = tmp.resolve("pkg");
        Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withMaxContext(512), List.of(), Exporter.Progress.SILENT);
        model = OrtAudioLanguageModel.open(ModelPackage.open(pkg, false), new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU)));
        try (SafeTensorsFile g = KitFixture.golden()) {
            for (String p : List.of("plain", "clone", "dialogue")) prompts.add(new PromptTokens(KitFixture.inputIds(p), KitFixture.audioFrames(g, p)));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void batchedStepsGiveEachSequencesOwnLogitsAndMovedSlotsContinue() {
        int n = prompts.size(), k = model.config().numCodebooks(), e = model.config().codebookEntries();
        List<AudioLanguageModel.State> singles = new ArrayList<>();
        try (AudioLanguageModel.Batch batch = model.newBatch(n, 200)) {
            float[][] last = new float[n][];
            for (int i = 0; i < n; i++) {
                PromptTokens p = prompts.get(i);
                AudioLanguageModel.State s = model.newState(200);
                singles.add(s);
                float[] alone = model.prefill(s, p.ids(), p.audioFrames(), 1)[0];
                last[i] = model.prefill(batch, i, p.ids(), p.audioFrames(), 1)[0];
                assertArrayEquals(alone, last[i], "prefill of slot " + i + " is the single prefill");
                assertEquals(p.ids().length, batch.position(i));
            }
            assertTrue(batch.position(0) != batch.position(2), "the slots hold prompts of different lengths");
            List<Integer> slotOf = new ArrayList<>(List.of(0, 1, 2)); // slot j holds sequence slotOf[j]
            double worst = 0;
            for (int step = 0; step < 16; step++) {
                if (step == 6) {
                    // sequence 0 ends: the last slot moves into its place and the batch shrinks to 2
                    model.copySlot(batch, 2, 0);
                    slotOf.set(0, slotOf.remove(2));
                    last[0] = last[2];
                    assertEquals(batch.position(2), batch.position(0));
                }
                int m = slotOf.size();
                int[][] frames = new int[m][k];
                for (int j = 0; j < m; j++) for (int c = 0; c < k; c++) frames[j][c] = argmax(last[j], c * e, e);
                float[][] together = model.step(batch, frames);
                for (int j = 0; j < m; j++) {
                    int seq = slotOf.get(j);
                    float[] alone = model.step(singles.get(seq), frames[j]);
                    assertEquals(singles.get(seq).position(), batch.position(j), "positions of sequence " + seq);
                    for (int x = 0; x < alone.length; x++) worst = Math.max(worst, Math.abs(alone[x] - together[j][x]));
                    last[j] = together[j];
                }
            }
            assertTrue(worst <= 1e-4, "batched vs single logits max |Δ| " + worst);
        } finally {
            singles.forEach(AudioLanguageModel.State::close);
        }
    }

    @Test
    void takesArePrefilledOnceAndEqualSingleGenerationsWithTheirSeeds() {
        PromptTokens prompt = prompts.get(1);
        List<GenerationOptions> options = new ArrayList<>();
        int[] maxFrames = {12, 30, 20, 25};
        for (int t = 0; t < maxFrames.length; t++) options.add(GenerationOptions.defaults().withSeed(100 + t).withMaxFrames(maxFrames[t]));
        BatchGenerationLoop batch = new BatchGenerationLoop(model, ReferencePipeline.OFFICIAL);
        List<GenerationResult> takes = batch.takes(prompt, options, null, null);
        GenerationLoop single = new GenerationLoop(model, ReferencePipeline.OFFICIAL);
        long expectSequenceSteps = 0;
        int longest = 0;
        for (int t = 0; t < options.size(); t++) {
            GenerationResult alone = single.run(prompt, options.get(t), null, null);
            GenerationResult together = takes.get(t);
            assertEquals(alone.audioSequence().size(), together.audioSequence().size(), "take " + t + " length");
            for (int f = 0; f < alone.audioSequence().size(); f++) {
                assertArrayEquals(alone.audioSequence().get(f), together.audioSequence().get(f), "take " + t + " frame " + f);
            }
            assertArrayEquals(alone.textStream(), together.textStream());
            assertEquals(alone.stop(), together.stop());
            expectSequenceSteps += together.steps() - 1; // the last frame of a sequence is never fed back
            longest = Math.max(longest, together.steps() - 1);
        }
        assertFalse(takes.get(0).audioSequence().equals(takes.get(1).audioSequence()), "different seeds, different takes");
        BatchGenerationLoop.Stats s = batch.stats();
        assertEquals(expectSequenceSteps, s.sequenceSteps(), "a finished take costs no more steps");
        assertEquals(longest, s.batchSteps());
    }

    @Test
    void independentPromptsDecodedTogetherEqualOneAtATime() {
        List<GenerationOptions> options = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) options.add(GenerationOptions.greedyReference().withMaxFrames(15 + 5 * i));
        List<GenerationResult> together = new BatchGenerationLoop(model, ReferencePipeline.TRANSFORMERS).run(prompts, options, null, null);
        GenerationLoop single = new GenerationLoop(model, ReferencePipeline.TRANSFORMERS);
        for (int i = 0; i < prompts.size(); i++) {
            GenerationResult alone = single.run(prompts.get(i), options.get(i), null, null);
            assertEquals(alone.audioSequence().size(), together.get(i).audioSequence().size());
            for (int f = 0; f < alone.audioSequence().size(); f++) assertArrayEquals(alone.audioSequence().get(f), together.get(i).audioSequence().get(f));
            for (int c = 0; c < alone.codes().length; c++) assertArrayEquals(alone.codes()[c], together.get(i).codes()[c]);
        }
    }

    @Test
    void aFullSlotSaysSo() {
        try (AudioLanguageModel.Batch batch = model.newBatch(2, prompts.get(0).ids().length)) {
            model.prefill(batch, 0, prompts.get(0).ids(), prompts.get(0).audioFrames(), 1);
            IllegalStateException x = assertThrows(IllegalStateException.class, () -> model.step(batch, new int[1][model.config().numCodebooks()]));
            assertTrue(x.getMessage().contains("slot 0 full"), x.getMessage());
        }
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }
}
