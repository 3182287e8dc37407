package org.higgsnarrator.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.higgsnarrator.config.ModelConfig;
import org.junit.jupiter.api.Test;

/**
 * The processor's counter arithmetic in the cases the goldens do not reach (they all end with {@code <|audio_out_bos|>}
 * and never emit stream EOS within 40 steps), following the reference's formulas.
 */
class DelayPatternProcessorTest {
    final ModelConfig cfg = KitModel.config();
    final int k = cfg.numCodebooks(), e = cfg.codebookEntries();
    final long bosTok = cfg.tokens().audioOutBos(), delay = cfg.tokens().audioDelay(), text = 9000, audioOut = cfg.tokens().audioOut();

    int[] delays(int shift) {
        int[] d = new int[k];
        for (int c = 0; c < k; c++) d[c] = c + 1 - shift;
        return d;
    }

    long[] prompt(long... tail) {
        long[] p = new long[20 + tail.length];
        Arrays.fill(p, text);
        System.arraycopy(tail, 0, p, 20, tail.length);
        return p;
    }

    @Test
    void bosCountersFromFirstAudioOutBosAmongLastK() {
        assertArrayEquals(delays(1), new DelayPatternProcessor(cfg, prompt(bosTok)).bosCounters(), "prompt ends with <|audio_out_bos|>: [0..K-1]");
        assertArrayEquals(delays(3), new DelayPatternProcessor(cfg, prompt(bosTok, text, text)).bosCounters(), "two tokens after it");
        assertArrayEquals(delays(3), new DelayPatternProcessor(cfg, prompt(bosTok, text, bosTok)).bosCounters(), "the first one among the last K counts");
        assertArrayEquals(new int[k], new DelayPatternProcessor(cfg, prompt(text)).bosCounters(), "none: all zero");
        long[] far = prompt(bosTok);
        far = Arrays.copyOf(far, far.length + k);
        Arrays.fill(far, far.length - k, far.length, text);
        assertArrayEquals(new int[k], new DelayPatternProcessor(cfg, far).bosCounters(), "outside the last K: ignored");
        assertArrayEquals(delays(0), new DelayPatternProcessor(cfg, prompt(bosTok)).eosCounters(), "EOS counters start at [1..K]");
    }

    @Test
    void bosForcingOpensOneCodebookPerStep() {
        var p = new DelayPatternProcessor(cfg, prompt(bosTok));
        for (int step = 0; step <= k; step++) {
            float[] l = new float[k * e];
            p.apply(l, step == 0 ? bosTok : audioOut);
            for (int c = 0; c < k; c++) {
                boolean forced = c >= step;
                assertEquals(forced ? Float.NEGATIVE_INFINITY : 0f, l[c * e + 3], "step " + step + " codebook " + c);
                assertEquals(0f, l[c * e + cfg.streamBos()]);
            }
        }
    }

    @Test
    void eosClosesCodebooksOneStepApartOnceDelayTokensFollow() {
        var p = new DelayPatternProcessor(cfg, prompt(bosTok));
        for (int step = 0; step < k; step++) p.apply(new float[k * e], audioOut); // through the BOS phase
        for (int n = 1; n <= k + 1; n++) {
            float[] l = new float[k * e];
            p.apply(l, delay);
            for (int c = 0; c < k; c++) {
                boolean forced = c < n;
                assertEquals(forced ? Float.NEGATIVE_INFINITY : 0f, l[c * e + 3], "delay step " + n + " codebook " + c);
                assertEquals(0f, l[c * e + cfg.streamEos()]);
            }
        }
    }

    /** Codebook 0 chooses stream EOS at step t: delay tokens follow, the others close one per step, eot ends it. */
    @Test
    void streamEosEndsGenerationLikeTheReference() {
        int t = 20, audioCode = 17;
        var model = new ScriptedLogitsModel(cfg, step -> {
            int[] p = new int[k];
            Arrays.fill(p, audioCode + step);
            if (step == t) p[0] = cfg.streamEos();
            return p;
        });
        var loop = new GenerationLoop(model);
        GenerationResult r = loop.run(new PromptTokens(prompt(bosTok), new int[0][]), GenerationOptions.greedyReference(), null, null);

        assertEquals(GenerationResult.Stop.END_OF_STREAM, r.stop());
        assertEquals(t + k + 1, r.steps(), "EOS at step t, then K more steps until every codebook is closed");
        long[] placeholders = Arrays.copyOfRange(r.textStream(), r.textStream().length - r.steps(), r.textStream().length);
        for (int s = 0; s < t; s++) assertEquals(audioOut, placeholders[s], "step " + s);
        for (int s = t; s < t + k; s++) assertEquals(delay, placeholders[s], "step " + s);
        assertEquals(cfg.tokens().eot(), placeholders[t + k]);
        int[] last = r.audioSequence().getLast();
        for (int c : last) assertEquals(cfg.streamEos(), c);
        // Reverted: t + 2 frames, minus the BOS frame and the EOS frame.
        assertEquals(t, r.frames());
        for (int f = 0; f < r.frames(); f++) {
            for (int c = 0; c < k; c++) {
                // codebook c of frame f is delayed step f+1+c, where greedy took that step's preferred code; codebook
                // 0's stream EOS lands in the last kept frame, clipped to the largest code as the reference does
                int expect = c == 0 && f + 1 == t ? cfg.codebookSize() - 1 : audioCode + f + 1 + c;
                assertEquals(expect, r.codes()[c][f], "frame " + f + " codebook " + c);
            }
        }
        assertEquals(0, model.openStates);
    }
}
