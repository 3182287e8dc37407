package org.higgsnarrator.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.checkpoint.TokenizerSpecials;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.engine.WaveformDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generation cases' own logic (teacher forcing, free-running comparison, tie handling, failure reporting), run on
 * the kit's recorded reference logits. The real check — the same cases on the converted ORT model — needs the lead's
 * wiring; unwired, every case must FAIL saying what it needs.
 */
class GenerationCasesTest {
    static Kit kit;
    static ModelConfig config;

    @BeforeAll
    static void open() {
        kit = Kit.open(Path.of(System.getProperty("narrator.kit.root")).resolve("tiny"), null);
        config = CheckpointConfigReader.read(kit.transformersModel().resolve("config.json"), TokenizerSpecials.read(kit.tokenizer())).config();
    }

    @AfterAll
    static void close() {
        kit.close();
    }

    /**
     * TEST FIXTURE: replays the recorded logits (reference outputs) of the prompt case whose prompt is being
     * generated (recognised by its length), possibly edited by the test.
     */
    static final class RecordedLogits implements AudioLanguageModel {
        final Map<Integer, float[][]> byPromptLength;
        float[][] current;
        int step;

        RecordedLogits(Map<Integer, float[][]> byPromptLength) {
            this.byPromptLength = byPromptLength;
        }

        @Override
        public ModelConfig config() {
            return config;
        }

        @Override
        public State newState(int maxPositions) {
            return new State() {
                @Override
                public int position() {
                    return step;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public float[][] prefill(State state, long[] ids, int[][] audioFrames, int lastN) {
            current = byPromptLength.get(ids.length);
            step = 0;
            return new float[][] {current[0].clone()};
        }

        @Override
        public float[] step(State state, int[] frame) {
            return current[++step].clone();
        }

        @Override
        public void close() {}
    }

    /** Parts whose model replays the recorded logits; the decoder is unwired. */
    static GenerationCases.Parts replay(Function<float[][], float[][]> edit) {
        Map<Integer, float[][]> byPromptLength = kit.promptNames().stream().collect(Collectors.toMap(
                p -> kit.cases().getAsJsonObject("prompts").getAsJsonObject(p).getAsJsonArray("input_ids").size(),
                p -> {
                    String t = "prompt." + p + ".gen_step_logits";
                    long[] shape = kit.tensors().info(t).shape();
                    float[] flat = kit.tensors().floats(t);
                    float[][] rows = new float[(int) shape[1]][];
                    for (int s = 0; s < rows.length; s++) rows[s] = Arrays.copyOfRange(flat, s * (int) shape[2], (s + 1) * (int) shape[2]);
                    return edit.apply(rows);
                }));
        return new GenerationCases.Parts() {
            @Override
            public AudioLanguageModel openModel(Kit k, ConformanceOptions o) {
                return new RecordedLogits(byPromptLength);
            }

            @Override
            public WaveformDecoder openDecoder(Kit k, ConformanceOptions o) {
                return GenerationCases.KIT.openDecoder(k, o);
            }
        };
    }

    static Map<String, CaseResult> run(GenerationCases.Parts parts) {
        List<CaseResult> rs = new GenerationCases(parts).run(kit, ConformanceOptions.defaults(Path.of("target")));
        return rs.stream().collect(Collectors.toMap(CaseResult::name, r -> r));
    }

    @Test
    void recordedReferenceLogitsPassTheGenerationCases() {
        Map<String, CaseResult> rs = run(replay(Function.identity()));
        assertEquals(3 * kit.promptNames().size(), rs.size());
        for (String p : kit.promptNames()) {
            assertTrue(rs.get("prompt." + p + ".gen_step_logits").passed(), rs.get("prompt." + p + ".gen_step_logits").line());
            assertTrue(rs.get("prompt." + p + ".gen_audio_sequences").passed(), rs.get("prompt." + p + ".gen_audio_sequences").line());
            CaseResult wave = rs.get("prompt." + p + ".gen_wave");
            assertTrue(wave.passed(), wave.line());
        }
    }

    @Test
    void aWrongLogitFailsTeacherForcingAndAWrongChoiceFailsFreeRunning() {
        int e = config.codebookEntries();
        Map<String, CaseResult> rs = run(replay(rows -> {
            float[][] out = Arrays.stream(rows).map(float[]::clone).toArray(float[][]::new);
            // step 20, codebook 0: lift the reference's runner-up well above its best
            float[] s = out[20];
            int best = 0, second = -1;
            for (int i = 1; i < e; i++) if (s[i] > s[best]) best = i;
            for (int i = 0; i < e; i++) if (i != best && (second < 0 || s[i] > s[second])) second = i;
            s[second] = s[best] + 0.5f;
            return out;
        }));
        for (String p : kit.promptNames()) {
            CaseResult tf = rs.get("prompt." + p + ".gen_step_logits");
            assertFalse(tf.passed(), tf.line());
            assertTrue(tf.detail().contains("step 20"), tf.line());
            CaseResult fr = rs.get("prompt." + p + ".gen_audio_sequences");
            assertFalse(fr.passed(), fr.line());
            assertTrue(fr.detail().contains("first difference at step 20"), fr.line());
        }
    }

    @Test
    void theConvertedKitModelAndCodecPassEveryGenerationCase() {
        Map<String, CaseResult> rs = run(GenerationCases.KIT);
        assertEquals(3 * kit.promptNames().size(), rs.size());
        for (CaseResult r : rs.values()) assertTrue(r.passed(), r.line());
    }

    /** {@code conformance --batch}: the kit's prompts decoded together pass the same cases (real ORT, batched decode_step). */
    @Test
    void theKitPromptsDecodedAsOneBatchPassEveryGenerationCase() {
        List<CaseResult> rs = new GenerationCases(GenerationCases.KIT).run(kit, ConformanceOptions.defaults(Path.of("target")).withBatch(true));
        assertEquals(3 * kit.promptNames().size(), rs.size());
        for (CaseResult r : rs) assertTrue(r.passed(), r.line());
        assertTrue(rs.stream().filter(r -> r.name().endsWith("gen_audio_sequences"))
                .allMatch(r -> r.detail().contains("batched: " + kit.promptNames().size() + " sequences decoded together")), rs.toString());
    }
}
