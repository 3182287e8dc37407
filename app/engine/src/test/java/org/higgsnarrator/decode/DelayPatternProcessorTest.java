package org.higgsnarrator.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

    /**
     * Transformers' ending (the conformance goldens' behaviour): codebook 0 chooses stream EOS at step t, delay tokens
     * follow, the others close one per step, eot ends it once a whole frame is EOS.
     */
    @Test
    void streamEosEndsGenerationLikeTransformers() {
        int t = 20, audioCode = 17;
        var model = new ScriptedLogitsModel(cfg, step -> {
            int[] p = new int[k];
            Arrays.fill(p, audioCode + step);
            if (step == t) p[0] = cfg.streamEos();
            return p;
        });
        var loop = new GenerationLoop(model, org.higgsnarrator.config.ReferencePipeline.TRANSFORMERS);
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

    /**
     * Boson's ending (what narration uses), read from boson_multimodal/model/higgs_audio/modeling_higgs_audio.py
     * L1551-1566: codebook 0 emits stream EOS at step t → num_remaining_delays = K − 1; each later step forces
     * codebooks [0, K − remaining) to EOS and counts down; at 0 the stream ends — K − 1 steps after t, the last
     * codebook of the last frame not forced. examples/generation.py L356-357 then keeps revert(codes)[:, 1:-1].
     */
    @Test
    void streamEosEndsGenerationLikeTheRelease() {
        int t = 20, audioCode = 17;
        var model = new ScriptedLogitsModel(cfg, step -> {
            int[] p = new int[k];
            Arrays.fill(p, audioCode + step);
            if (step == t) p[0] = cfg.streamEos();
            return p;
        });
        GenerationResult r = new GenerationLoop(model).run(new PromptTokens(prompt(bosTok), new int[0][]), GenerationOptions.greedyReference(), null, null);

        assertEquals(GenerationResult.Stop.END_OF_STREAM, r.stop());
        assertEquals(t + k, r.steps(), "EOS at step t, then K − 1 more steps");
        int[] last = r.audioSequence().getLast();
        for (int c = 0; c < k - 1; c++) assertEquals(cfg.streamEos(), last[c], "codebook " + c + " of the last frame");
        assertEquals(audioCode + t + k - 1, last[k - 1], "the last codebook of the last frame is not forced");
        assertEquals(cfg.tokens().eot(), r.textStream()[r.textStream().length - 1]);
        // revert: t + K delayed frames → t + 1 frames; [1:-1] drops the BOS frame and the frame holding codebook 0's EOS
        assertEquals(t - 1, r.frames());
        for (int f = 0; f < r.frames(); f++) {
            for (int c = 0; c < k; c++) assertEquals(audioCode + f + 1 + c, r.codes()[c][f], "frame " + f + " codebook " + c + ": no clipped EOS kept");
        }
        assertEquals(0, model.openStates);
    }

    /** A later codebook's EOS starts the end there (L1557-1562): the codebooks before it close at once. */
    @Test
    void aLaterCodebooksEosClosesTheOnesBeforeIt() {
        int eos = cfg.streamEos();
        OfficialStreamEnd end = new OfficialStreamEnd(k, eos);
        int[] f = new int[k];
        Arrays.fill(f, 3);
        f[2] = eos;
        assertFalse(end.apply(f));
        for (int c = 0; c < k; c++) assertEquals(c <= 2 ? eos : 3, f[c], "codebook " + c);
        int steps = 0;
        boolean ended = false;
        while (!ended) {
            int[] g = new int[k];
            Arrays.fill(g, 3);
            ended = end.apply(g);
            steps++;
            for (int c = 0; c < k; c++) assertEquals(c < 2 + steps ? eos : 3, g[c], "step " + steps + " codebook " + c + ": [0, idx + steps) forced");
        }
        assertEquals(k - 3, steps, "remaining = K − idx − 1 steps after the EOS at idx 2");
        int[] fresh = new int[k];
        Arrays.fill(fresh, 3);
        assertFalse(end.apply(fresh), "after the end the counters are reset");
    }
}
