package org.higgsnarrator.qa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.engine.ChunkResult;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.engine.SynthesisListener;
import org.higgsnarrator.engine.SynthesisRequest;
import org.higgsnarrator.engine.SynthesisResult;
import org.higgsnarrator.engine.Voice;

/**
 * Re-rolls flagged chunks of a rendered chapter: each chunk the {@link TakeQa} flags is rendered again with new seeds,
 * up to {@code maxRetakes} times or until a take comes out clean, and the best-scoring take is kept.
 *
 * <p>A re-roll renders the chunk on its own (its speaker's voice and the scene, not the previous chunks' audio as
 * context): a speaker whose voice the model chooses may sound different in it. Cloned and described voices keep.
 */
public final class Retakes {
    private final Narrator narrator;
    private final TakeQa qa;

    public Retakes(Narrator narrator, TakeQa qa) {
        this.narrator = narrator;
        this.qa = qa;
    }

    /** Called before each re-roll, e.g. for a progress line. */
    public interface Listener {
        void retake(int chunk, int attempt, int maxRetakes, TakeReport current);
    }

    /**
     * @param pcm    the chapter as kept (best take per chunk)
     * @param report the kept takes' checks, with how many takes each chunk took
     */
    public record Outcome(float[] pcm, ChapterQaReport report) {}

    public Outcome apply(String chapter, SynthesisRequest request, SynthesisResult result, int maxRetakes, Listener listener) {
        int rate = result.sampleRate();
        List<ChunkResult> chunks = result.chunks();
        List<float[]> audio = new ArrayList<>();
        List<TakeQa.Take> takes = new ArrayList<>();
        // The job's audio is one codec stream over all chunks' codes (engine.SynthesisJob), so the samples delivered
        // while a chunk ran lag its frames by the decoder's look-ahead: cut the chapter at frame boundaries instead.
        float[] all = result.pcm();
        long frames = 0;
        for (ChunkResult c : chunks) frames += c.codes().length == 0 ? 0 : c.codes()[0].length;
        long at = 0, frameAt = 0;
        for (int i = 0; i < chunks.size(); i++) {
            ChunkResult c = chunks.get(i);
            frameAt += c.codes().length == 0 ? 0 : c.codes()[0].length;
            long end = i == chunks.size() - 1 || frames == 0 ? all.length : Math.min(all.length, frameAt * all.length / frames);
            float[] s = Arrays.copyOfRange(all, (int) at, (int) end);
            at = end;
            audio.add(s);
            takes.add(take(c.chunk(), s, rate, c.codes(), c.stop()));
        }
        List<TakeReport> reports = new ArrayList<>(qa.checkChapter(takes));
        List<Integer> rendered = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) rendered.add(1);
        for (int i = 0; i < chunks.size(); i++) {
            for (int attempt = 1; attempt <= maxRetakes && reports.get(i).flagged(); attempt++) {
                if (listener != null) listener.retake(i, attempt, maxRetakes, reports.get(i));
                ScriptChunk chunk = chunks.get(i).chunk();
                // a seed no first take used: first takes use seed + chunk index
                long seed = request.options().seed() + 100_003L * attempt + i;
                SynthesisResult again = narrator.synthesize(single(request, chunk, seed), new SynthesisListener() {});
                GenerationResult.Stop stop = again.chunks().stream().anyMatch(c -> c.stop() == GenerationResult.Stop.FRAME_LIMIT)
                        ? GenerationResult.Stop.FRAME_LIMIT : GenerationResult.Stop.END_OF_STREAM;
                TakeQa.Take t = take(chunk, again.pcm(), rate, again.chunks().isEmpty() ? null : again.chunks().getFirst().codes(), stop);
                TakeReport candidate = qa.check(i, t);
                List<TakeReport> around = new ArrayList<>(reports);
                around.set(i, candidate);
                candidate = qa.withLevelCheck(candidate, TakeQa.neighbourLevels(around, i));
                rendered.set(i, rendered.get(i) + 1);
                if (candidate.score() < reports.get(i).score()) {
                    reports.set(i, candidate);
                    audio.set(i, again.pcm());
                }
            }
        }
        int total = audio.stream().mapToInt(a -> a.length).sum();
        float[] pcm = new float[total];
        int pos = 0;
        for (float[] a : audio) {
            System.arraycopy(a, 0, pcm, pos, a.length);
            pos += a.length;
        }
        return new Outcome(pcm, new ChapterQaReport(chapter, reports, rendered));
    }

    private static TakeQa.Take take(ScriptChunk chunk, float[] pcm, int rate, int[][] codes, GenerationResult.Stop stop) {
        return new TakeQa.Take(new AudioClip(pcm, rate), chunk.text(), codes, stop == GenerationResult.Stop.FRAME_LIMIT);
    }

    /** The one chunk as a script of its own, read by its speaker's voice, with a new seed. */
    static SynthesisRequest single(SynthesisRequest request, ScriptChunk chunk, long seed) {
        String text = chunk.text().replaceAll("\\[SPEAKER\\d+]\\s*", "").strip();
        String script;
        if (chunk.speaker().equals(Voice.NARRATOR)) script = text;
        else if (chunk.speaker().matches("SPEAKER\\d+")) script = "[" + chunk.speaker() + "] " + text;
        else script = chunk.speaker() + ": " + text;
        Map<String, Voice> voices = new LinkedHashMap<>();
        Voice v = request.voices().get(chunk.speaker());
        // in a script without speakers the only voice given reads it, whatever its name
        if (v == null && chunk.speaker().equals(Voice.NARRATOR) && request.voices().size() == 1) v = request.voices().values().iterator().next();
        if (v != null) voices.put(chunk.speaker(), v);
        return new SynthesisRequest(script, voices, request.scene(), request.options().withSeed(seed));
    }
}
