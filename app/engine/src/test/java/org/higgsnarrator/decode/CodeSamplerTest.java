package org.higgsnarrator.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Per-codebook selection: greedy, temperature / top-k / top-p draws and repetition-aware resampling. */
class CodeSamplerTest {
    static final int K = 2, E = 6, BOS = 4, EOS = 5;
    // codebook 0 prefers code 2 (p≈0.47), then 1, 0, 3; BOS/EOS masked as the processor would leave them
    static final float[] LOGITS = {1.0f, 1.5f, 2.0f, 0.5f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
                                   0.2f, 0.1f, 0.0f, 3.0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};

    static CodeSampler sampler(GenerationOptions o, long seed) {
        return new CodeSampler(o, K, E, BOS, EOS, new SplittableRandom(seed));
    }

    static double[] softmax(float[] l, int from, double temperature) {
        double[] p = new double[E];
        double sum = 0;
        for (int i = 0; i < E; i++) sum += p[i] = Float.isInfinite(l[from + i]) ? 0 : Math.exp(l[from + i] / temperature);
        for (int i = 0; i < E; i++) p[i] /= sum;
        return p;
    }

    int[] histogram(GenerationOptions o, int n, int codebook) {
        CodeSampler s = sampler(o, 42);
        int[] h = new int[E];
        for (int i = 0; i < n; i++) h[s.select(LOGITS, LOGITS, List.of())[codebook]]++;
        return h;
    }

    @Test
    void greedyTakesTheFirstMaximum() {
        assertArrayEquals(new int[] {2, 3}, sampler(GenerationOptions.greedyReference(), 1).select(LOGITS, LOGITS, List.of()));
        assertEquals(1, CodeSampler.argmax(new float[] {0f, 3f, 3f, 1f}), "ties resolve to the first index, as torch.argmax");
    }

    @Test
    void plainSamplingFollowsTheSoftmaxWithTemperature() {
        int n = 40_000;
        for (double temperature : new double[] {1.0, 0.5}) {
            var o = GenerationOptions.defaults().withTopK(0).withTopP(1.0).withRasWindow(0).withTemperature(temperature);
            int[] h = histogram(o, n, 0);
            double[] p = softmax(LOGITS, 0, temperature);
            for (int i = 0; i < E; i++) {
                double sd = Math.sqrt(n * p[i] * (1 - p[i]));
                assertTrue(Math.abs(h[i] - n * p[i]) <= 5 * sd + 1, "T=" + temperature + " code " + i + ": " + h[i] + " draws, expected ≈" + n * p[i]);
            }
        }
    }

    @Test
    void topKAndTopPCutTheTail() {
        var base = GenerationOptions.defaults().withTemperature(1.0).withRasWindow(0).withTopP(1.0); // the probabilities below are at temperature 1
        int[] top2 = histogram(base.withTopK(2), 5000, 0);
        assertEquals(0, top2[0] + top2[3], "top-k 2 keeps codes 2 and 1 only");
        assertTrue(top2[1] > 0 && top2[2] > top2[1]);
        // p(2)≈0.47, p(1)≈0.28: top-p 0.6 keeps {2, 1}; top-p 0.3 keeps {2}
        int[] p06 = histogram(base.withTopK(0).withTopP(0.6), 5000, 0);
        assertEquals(0, p06[0] + p06[3]);
        assertTrue(p06[1] > 0);
        int[] p03 = histogram(base.withTopK(0).withTopP(0.3), 2000, 0);
        assertEquals(2000, p03[2]);
    }

    @Test
    void sameSeedSameTakeDifferentSeedDifferentTake() {
        var o = GenerationOptions.defaults().withTopK(0).withTopP(1.0);
        List<Integer> a = new ArrayList<>(), b = new ArrayList<>(), c = new ArrayList<>();
        CodeSampler sa = sampler(o, 7), sb = sampler(o, 7), sc = sampler(o, 8);
        for (int i = 0; i < 200; i++) {
            a.add(sa.select(LOGITS, LOGITS, List.of())[0]);
            b.add(sb.select(LOGITS, LOGITS, List.of())[0]);
            c.add(sc.select(LOGITS, LOGITS, List.of())[0]);
        }
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void repetitionAwareSamplingRedrawsFromRawLogits() {
        var o = GenerationOptions.greedyReference().withRasWindow(3).withRasMaxRepeats(2);
        // raw logits make code 0 of codebook 0 near-certain; processed ones make code 2 the greedy choice
        float[] raw = LOGITS.clone();
        raw[0] = 50f;
        List<int[]> twice = List.of(new int[] {2, 0}, new int[] {2, 0}, new int[] {1, 0});
        assertEquals(0, sampler(o, 3).select(LOGITS, raw, twice)[0], "code 2 twice in the window: redrawn");
        List<int[]> once = List.of(new int[] {2, 0}, new int[] {1, 0}, new int[] {1, 0});
        assertEquals(2, sampler(o, 3).select(LOGITS, raw, once)[0], "code 2 once: kept");
        List<int[]> outside = List.of(new int[] {2, 0}, new int[] {2, 0}, new int[] {1, 0}, new int[] {1, 0}, new int[] {1, 0});
        assertEquals(2, sampler(o, 3).select(LOGITS, raw, outside)[0], "repeats older than the window do not count");
        // The release counts every value, stream EOS included (modeling_higgs_audio.py L1526) ...
        float[] eosPreferred = LOGITS.clone();
        eosPreferred[EOS] = 9f;
        List<int[]> eosHistory = List.of(new int[] {EOS, 0}, new int[] {EOS, 0}, new int[] {1, 0});
        assertEquals(0, sampler(o, 3).select(eosPreferred, raw, eosHistory)[0], "stream EOS twice in the window: redrawn like any code");
        // ... but a codebook the delay pattern forces keeps its code (the release forces after RAS, L1546-1562)
        float[] bosForced = LOGITS.clone();
        for (int i = 0; i < E; i++) bosForced[i] = i == BOS ? 0f : Float.NEGATIVE_INFINITY;
        List<int[]> bosHistory = List.of(new int[] {BOS, 0}, new int[] {BOS, 0}, new int[] {BOS, 0});
        assertEquals(BOS, sampler(o, 3).select(bosForced, raw, bosHistory)[0], "a forced stream BOS stays");
    }

    @Test
    void greedyKeepsRepetitionAwareSampling() {
        // serve_engine.py L388-394: temperature 0 → do_sample=False, ras_win_len passed on unchanged
        var o = GenerationOptions.defaults().withGreedy(true);
        assertEquals(7, o.rasWindow());
        float[] raw = LOGITS.clone();
        raw[0] = 50f;
        assertEquals(0, sampler(o, 3).select(LOGITS, raw, List.of(new int[] {2, 0}, new int[] {2, 0}))[0], "greedy code 2, seen twice: redrawn");
    }

    @Test
    void defaultsAreTheReleaseExamples() {
        // examples/README.md L94 (long-form) and README.md L139: temperature=0.3, top_p=0.95, top_k=50;
        // generation.py L546-556: ras_win_len 7, ras_win_max_num_repeat 2
        GenerationOptions d = GenerationOptions.defaults();
        assertEquals(0.3, d.temperature());
        assertEquals(50, d.topK());
        assertEquals(0.95, d.topP());
        assertEquals(7, d.rasWindow());
        assertEquals(2, d.rasMaxRepeats());
    }
}
