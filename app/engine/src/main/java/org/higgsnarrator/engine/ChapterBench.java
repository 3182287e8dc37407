package org.higgsnarrator.engine;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.higgsnarrator.decode.GenerationOptions;

/**
 * {@code ./narrator bench chapter}: a fixed multi-paragraph script (≈ 470 words, ≈ 3 minutes at an audiobook pace)
 * read by a 10 s cloned voice, end to end through {@link SynthesisJob}, once per context policy: wall time, ×real
 * time, and where the time went (prefill, decode steps and the context they attended over, codec), against the same
 * number of decode steps at a short context (the long-form overhead).
 */
public final class ChapterBench {
    private ChapterBench() {}

    /** The fixed chapter: eight paragraphs of plain narration. */
    public static final String SCRIPT = """
            The harbour town woke slowly that morning. Fog lay over the water like a folded sheet, and the fishing boats \
            waited at their moorings, ropes creaking as the tide turned. On the quay an old man sorted nets by feel, his \
            hands moving faster than his eyes could follow, while gulls argued overhead about nothing at all.

            Mara had arrived on the night train with one suitcase and a letter she had read so often that the folds were \
            coming apart. The letter said only that her aunt's house was hers now, that the key was under the blue pot, \
            and that the roof leaked when the wind came from the east.

            The key was exactly where the letter said. The door opened onto a narrow hall that smelled of salt and old \
            paper. Every wall was lined with shelves, and every shelf was full: books, jars of buttons, bundles of \
            letters tied with string, and small wooden boats carved with more patience than skill.

            She spent the first day opening windows and the second day closing them again, because the wind did come \
            from the east, and the roof did leak. By the third day she had found a bucket for each drip and a rhythm \
            for emptying them, and the house began to feel less like a stranger's and more like a puzzle.

            In the kitchen drawer, under a stack of tide tables, she found a notebook. Her aunt had written in it every \
            evening for forty years: the weather, the boats that went out and the boats that came back, the price of \
            bread, and now and then a single line about a person, as if they were weather too.

            Some of the names Mara knew from her childhood visits. The baker who gave her burnt biscuits. The \
            harbourmaster who whistled through his teeth. Others she did not know at all, and one of them appeared \
            again and again, on the first of every month, with no explanation but a small drawing of a lighthouse.

            The lighthouse stood at the end of the northern breakwater, white paint flaking, its lamp long since \
            replaced by an automatic beacon. Nobody lived there now. But on the first of the month, when Mara walked \
            out along the breakwater at dusk, she saw a light moving behind the upper windows.

            She stood there until the cold came through her coat. Then she walked back to the house, opened the \
            notebook to a clean page, and wrote the date, the weather, and one line: somebody is keeping the light.
            """;

    /** A reference voice of 10 s (250 frames) of deterministic codes: its length, not its sound, shapes every prompt. */
    public static Voice referenceVoice(int numCodebooks, int codebookSize) {
        SplittableRandom r = new SplittableRandom(10);
        int[][] codes = new int[numCodebooks][250];
        for (int[] row : codes) for (int i = 0; i < row.length; i++) row[i] = r.nextInt(codebookSize);
        return Voice.cloned(Voice.NARRATOR, codes, "This is the reference recording of the narrator, ten seconds of calm and even reading.");
    }

    /**
     * @param shortStepSeconds one decode step at a short context (64 positions) on the same model
     * @param audioSeconds     audio the run produced
     */
    public record Row(String policy, int chunks, double audioSeconds, SynthesisJob.Stats stats, double shortStepSeconds) {
        /** Chapter wall time ÷ the same number of decode steps at a short context. */
        public double overhead() {
            return stats.wallSeconds() / (stats.steps() * shortStepSeconds);
        }

        public Row withShortStep(double seconds) {
            return new Row(policy, chunks, audioSeconds, stats, seconds);
        }

        public double realTime() {
            return audioSeconds / stats.wallSeconds();
        }
    }

    /**
     * A policy as {@code narrate --context} spells it: window:N or carry:TOKENS; and {@code before:N}, the bench's
     * own: window:N with every chunk prefilled from scratch, as before the job kept its KV state (the baseline of
     * the long-form overhead).
     */
    public static GenerationOptions withPolicy(GenerationOptions o, String policy) {
        String[] p = policy.split(":", 2);
        int n = Integer.parseInt(p[1]);
        return switch (p[0]) {
            case "window", "before" -> o.withChunkBufferSize(n).withContextTokens(0);
            case "carry" -> o.withContextTokens(n);
            default -> throw new IllegalArgumentException("a context policy is window:N, carry:TOKENS or before:N, got " + policy);
        };
    }

    /** Seconds of one decode step at a short context (64 prompt positions) on the narrator's model. */
    public static double shortStepSeconds(Narrator narrator, int steps) {
        return 1 / DecodeBench.stepsPerSecond(narrator.model(), 64, 0, 8, steps, () -> Double.NaN).shortStepsPerSecond();
    }

    public static Row run(Narrator narrator, GenerationOptions options, String policy, double shortStepSeconds) {
        Voice voice = referenceVoice(narrator.config().numCodebooks(), narrator.config().codebookSize());
        SynthesisJob job = narrator.newJob(new SynthesisRequest(SCRIPT, Map.of(Voice.NARRATOR, voice), List.of("Audio is recorded from a quiet room."),
                withPolicy(options, policy)));
        if (policy.startsWith("before:")) job.withoutPrefixReuse();
        SynthesisResult r = job.run(null);
        return new Row(policy, r.chunks().size(), r.seconds(), job.stats(), shortStepSeconds);
    }
}
