package org.higgsnarrator.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generation loop against the reference: the kit's recorded raw step logits are replayed through the real loop
 * (delay-pattern processor, greedy sampler, text-stream placeholders, delay revert) and the result must equal the
 * reference's {@code gen_audio_sequences} and {@code gen_sequences} exactly, for every prompt case of the kit.
 */
class GoldenGenerationReplayTest {
    static SafeTensorsFile golden;
    static ModelConfig config;

    @BeforeAll
    static void open() {
        golden = SafeTensorsFile.open(KitModel.tiny().resolve("golden/tensors.safetensors"));
        config = KitModel.config();
    }

    @AfterAll
    static void close() {
        golden.close();
    }

    static List<String> cases() {
        return KitModel.promptNames();
    }

    /** [1, F, K] int64 → F frames of K codes. */
    static List<int[]> frames(String name) {
        if (!golden.contains(name)) return List.of();
        long[] flat = golden.longs(name);
        int k = (int) golden.info(name).shape()[2];
        List<int[]> out = new ArrayList<>();
        for (int f = 0; f < flat.length / k; f++) {
            int[] frame = new int[k];
            for (int c = 0; c < k; c++) frame[c] = Math.toIntExact(flat[f * k + c]);
            out.add(frame);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void greedyReplayReproducesReferenceSequences(String name) {
        String p = "prompt." + name + ".";
        int steps = (int) golden.info(p + "gen_step_logits").shape()[1];
        var model = new RecordedLogitsModel(config, RecordedLogitsModel.rows(golden.floats(p + "gen_step_logits"), steps));
        long[] ids = KitModel.promptIds(name);
        int[][] promptFrames = frames(p + "audio_input_ids").toArray(int[][]::new);

        // the goldens come from transformers: its ending (no [1:-1] at the frame limit)
        GenerationResult r = new GenerationLoop(model, org.higgsnarrator.config.ReferencePipeline.TRANSFORMERS).run(new PromptTokens(ids, promptFrames),
                GenerationOptions.greedyReference().withMaxFrames(steps), null, null);

        long[] goldenText = golden.longs(p + "gen_sequences");
        assertArrayEquals(goldenText, r.textStream(), "text stream (prompt + placeholders) of " + name);
        List<int[]> goldenAudio = frames(p + "gen_audio_sequences");
        assertEquals(goldenAudio.size(), r.audioSequence().size(), "audio sequence length of " + name);
        for (int f = 0; f < goldenAudio.size(); f++) {
            assertArrayEquals(goldenAudio.get(f), r.audioSequence().get(f), name + ": audio frame " + f + " of " + goldenAudio.size());
        }
        assertEquals(GenerationResult.Stop.FRAME_LIMIT, r.stop());
        assertEquals(steps, r.steps());

        // The loop fed the model the prompt as given, then each generated frame except the last.
        assertArrayEquals(ids, model.prefillIds.getFirst());
        assertEquals(promptFrames.length, model.prefillFrames.getFirst().length);
        assertEquals(steps - 1, model.fedFrames.size());
        for (int s = 0; s < steps - 1; s++) assertArrayEquals(goldenAudio.get(promptFrames.length + s), model.fedFrames.get(s));
        assertEquals(0, model.openStates, "the loop must close its model state");

        // Final codes: the reference's revert → clip → drop the BOS frame (no EOS ending within the recorded steps).
        int k = config.numCodebooks();
        int[][] delayed = new int[k][steps];
        for (int s = 0; s < steps; s++) for (int c = 0; c < k; c++) delayed[c][s] = goldenAudio.get(promptFrames.length + s)[c];
        int[][] reverted = DelayPattern.revert(delayed);
        assertEquals(reverted[0].length - 1, r.frames());
        for (int c = 0; c < k; c++) {
            int[] expect = Arrays.stream(Arrays.copyOfRange(reverted[c], 1, reverted[c].length)).map(v -> Math.clamp(v, 0, config.codebookSize() - 1)).toArray();
            assertArrayEquals(expect, r.codes()[c], name + ": codebook " + c + " of the reverted codes");
        }
        // The reference decoded exactly these frames: gen_wave is frames × hop long (hop from the kit's codec goldens).
        long hop = golden.info("codec.wave_out").shape()[2] / golden.info("codec.codes").shape()[2];
        assertEquals(golden.info(p + "gen_wave").shape()[2], r.frames() * hop, "gen_wave length = reverted frames × hop");
    }
}
