package org.higgsnarrator.qa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.engine.SynthesisJob;

/**
 * Take QA with re-rolls inside a job ({@link SynthesisJob#withRetakes}): each chunk's take is checked by
 * {@link TakeQa} as soon as it is generated; a flagged take is rendered again with new seeds (from the same prompt,
 * so with the chunk's context), up to the job's retake count or until a take comes out clean, and the best-scoring
 * take is kept. Only the takes' reports are held, never audio: a job with retakes streams and resumes like any other.
 *
 * <p>Re-rolls are decided by the checks that need only the take itself ({@link TakeQa#check}); the level check, which
 * compares a take with two on each side, needs takes not rendered yet, so it is applied to the chapter report
 * ({@link #report}), as {@link TakeQa#checkChapter} does, and does not trigger re-rolls. So a chunk's decision depends
 * on nothing but its own takes, and a resumed job keeps exactly the takes an uninterrupted one keeps.
 */
public final class Retakes implements SynthesisJob.TakeJudge {
    private final TakeQa qa;
    /** The kept take's report per chunk index, and how many takes each rendered. */
    private final Map<Integer, TakeReport> kept = new TreeMap<>();
    private final Map<Integer, Integer> rendered = new TreeMap<>();
    /** The takes of the chunk being judged, by attempt. */
    private final List<TakeReport> attempts = new ArrayList<>();

    public Retakes(TakeQa qa) {
        this.qa = qa;
    }

    @Override
    public synchronized Verdict judge(int index, int attempt, ScriptChunk chunk, float[] audio, int sampleRate, int[][] codes, boolean hitFrameLimit) {
        if (attempt == 0) attempts.clear();
        TakeReport r = qa.check(index, new TakeQa.Take(new AudioClip(audio, sampleRate), chunk.text(), codes, hitFrameLimit));
        attempts.add(r);
        return new Verdict(r.flagged(), r.score(), r.reason());
    }

    @Override
    public synchronized void kept(int index, int attempt, int takesRendered) {
        kept.put(index, attempts.get(attempt));
        rendered.put(index, takesRendered);
    }

    /** Chunks judged so far (a resumed job judges only the chunks it renders). */
    public synchronized int judged() {
        return kept.size();
    }

    /** The kept takes' checks, level-checked against two takes on each side, with how many takes each chunk took. */
    public synchronized ChapterQaReport report(String chapter) {
        List<TakeReport> reports = new ArrayList<>(kept.values());
        List<TakeReport> out = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) out.add(qa.withLevelCheck(reports.get(i), TakeQa.neighbourLevels(reports, i)));
        return new ChapterQaReport(chapter, out, new ArrayList<>(rendered.values()));
    }
}
