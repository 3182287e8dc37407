package org.higgsnarrator.qa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioOptions;
import org.higgsnarrator.audio.LoudnessMeter;
import org.higgsnarrator.engine.ScriptChunk;

/**
 * Automatic checks of rendered takes, each with a number: speaking rate against the word count, long internal
 * silences, clipping, a cut-off or missing ending, loops (repeated audio; repeated code n-grams when the codes are
 * known) and, over a chapter, level jumps against the neighbours. LLM-based TTS loops, truncates, hallucinates and
 * leaves long silences now and then; these checks find such takes so they can be re-rolled.
 */
public final class TakeQa {
    private final QaOptions q;
    private final AudioOptions o;

    public TakeQa() {
        this(QaOptions.DEFAULTS, AudioOptions.DEFAULTS);
    }

    public TakeQa(QaOptions q, AudioOptions o) {
        this.q = q;
        this.o = o;
    }

    /**
     * One take to check.
     *
     * @param audio         the rendered audio
     * @param text          what it should say (speaker tags are not words)
     * @param codes         its audio codes [codebook][frame], or null when not known
     * @param hitFrameLimit generation stopped at the frame limit, not at its end-of-speech token
     */
    public record Take(AudioClip audio, String text, int[][] codes, boolean hitFrameLimit) {
        public Take(AudioClip audio, String text) {
            this(audio, text, null, false);
        }

        public int words() {
            return ScriptChunk.countWords(text);
        }
    }

    /** Checks every take on its own, then each take's level against its neighbours'. */
    public List<TakeReport> checkChapter(List<Take> takes) {
        List<TakeReport> reports = new ArrayList<>();
        for (int i = 0; i < takes.size(); i++) reports.add(check(i, takes.get(i)));
        List<TakeReport> out = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) out.add(withLevelCheck(reports.get(i), neighbourLevels(reports, i)));
        return out;
    }

    /** The levels of take {@code i} and up to two takes on each side of it (for {@link #withLevelCheck}). */
    public static double[] neighbourLevels(List<TakeReport> reports, int i) {
        List<Double> l = new ArrayList<>();
        for (int k = Math.max(0, i - 2); k <= Math.min(reports.size() - 1, i + 2); k++)
            if (Double.isFinite(reports.get(k).levelDb())) l.add(reports.get(k).levelDb());
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Adds a level-jump finding when the take's level is more than maxLevelJumpDb from the median of its
     * neighbourhood (itself included, so that one odd take does not make its neighbours look odd).
     */
    public TakeReport withLevelCheck(TakeReport r, double[] neighbourhoodLevels) {
        if (neighbourhoodLevels.length < 3 || !Double.isFinite(r.levelDb())) return r;
        double[] s = neighbourhoodLevels.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        double jump = r.levelDb() - median;
        if (Math.abs(jump) <= q.maxLevelJumpDb()) return r;
        return r.withFinding(new Finding(Finding.Kind.LEVEL_JUMP, jump, Math.signum(jump) * q.maxLevelJumpDb(), "dB", Double.NaN,
                Math.abs(jump) / q.maxLevelJumpDb()));
    }

    /** The checks that need only the take itself. */
    public TakeReport check(int index, Take take) {
        AudioClip a = take.audio().toMono();
        List<Finding> f = new ArrayList<>();
        int[] sound = LoudnessMeter.soundRange(a, o);
        double speech = (sound[1] - sound[0]) / (double) a.sampleRate();
        int words = take.words();
        double wps = speech > 0 ? words / speech : Double.POSITIVE_INFINITY;

        // speaking rate: the speech may last from words/max - slack to words/min + slack
        if (words > 0) {
            double longest = words / q.minWordsPerSecond() + q.rateSlackSeconds();
            double shortest = Math.max(0, words / q.maxWordsPerSecond() - q.rateSlackSeconds());
            if (speech > longest)
                f.add(new Finding(Finding.Kind.TOO_SLOW, wps, q.minWordsPerSecond(), "words/s", Double.NaN, speech / longest));
            else if (speech < shortest)
                f.add(new Finding(Finding.Kind.TOO_FAST, wps, q.maxWordsPerSecond(), "words/s", Double.NaN, speech > 0 ? shortest / speech : 10));
        }
        for (double[] p : LoudnessMeter.pauses(a, o, q.maxPauseSeconds()))
            f.add(new Finding(Finding.Kind.LONG_PAUSE, p[1] - p[0], q.maxPauseSeconds(), "s", p[0], (p[1] - p[0]) / q.maxPauseSeconds()));
        int clipped = LoudnessMeter.clippedSpots(take.audio(), o);
        if (clipped > q.maxClippedSpots())
            f.add(new Finding(Finding.Kind.CLIPPING, clipped, q.maxClippedSpots(), "spots", Double.NaN, 1 + Math.log10(clipped)));
        if (take.hitFrameLimit())
            f.add(new Finding(Finding.Kind.FRAME_LIMIT, a.seconds(), a.seconds(), "s", Double.NaN, 2));
        else {
            Finding cut = cutOff(a, sound);
            if (cut != null) f.add(cut);
        }
        // a text that repeats a phrase may be read the same way twice: the repeat must outlast that phrase
        double phraseSeconds = Double.isFinite(wps) && wps > 0 ? longestRepeatedPhrase(take.text()) / wps : 0;
        Finding loop = audioLoop(a, q.loopMinSeconds() + phraseSeconds);
        if (loop == null && take.codes() != null) loop = codeLoop(take.codes());
        if (loop != null) f.add(loop);
        return new TakeReport(index, words, a.seconds(), speech, wps, LoudnessMeter.activeLevelDb(a, o), f);
    }

    /** The take's last endWindowSeconds still near its loud level: it stops in mid-sound. */
    Finding cutOff(AudioClip a, int[] sound) {
        if (sound[1] <= sound[0]) return null;
        int win = Math.max(1, (int) Math.round(q.endWindowSeconds() * a.sampleRate()));
        if (a.frames() < 4 * win) return null;
        double[] frames = LoudnessMeter.frameLevelsDb(a, o).clone();
        double endDb = LoudnessMeter.rmsDb(a.slice(a.frames() - win, a.frames()));
        Arrays.sort(frames);
        double loud = frames[(int) (frames.length * 0.9)];
        double below = loud - endDb;
        if (below >= q.cutOffBelowLoudDb()) return null;
        return new Finding(Finding.Kind.CUT_OFF, -below, -q.cutOffBelowLoudDb(), "dB", a.seconds(),
                1 + (q.cutOffBelowLoudDb() - below) / q.cutOffBelowLoudDb());
    }

    /**
     * Repeated audio: for every lag in [loopMinLag, loopMaxLag], the 10 ms frames whose log band energies match the
     * frame one lag later (mean difference under loopMaxDistanceDb); a window of loopMinSeconds in which at least
     * loopMatchFraction of the sounding frames match is a loop. Natural speech never repeats this closely (same
     * spectrum frame by frame for a whole second); a re-generated or re-looped phrase does.
     */
    Finding audioLoop(AudioClip a, double minSeconds) {
        int rate = a.sampleRate();
        int hop = Math.max(1, (int) Math.round(o.trimFrameSeconds() * rate));
        float[][] feat = Spectra.logBands(a.samples(), rate, hop);
        int n = feat.length;
        double[] level = LoudnessMeter.frameLevelsDb(a, o);
        double threshold = soundThreshold(level);
        boolean[] sounding = new boolean[n];
        for (int i = 0; i < n && i < level.length; i++) sounding[i] = level[i] > threshold;
        double frameSeconds = hop / (double) rate;
        int window = (int) Math.round(minSeconds / frameSeconds);
        int minLag = (int) Math.round(q.loopMinLagSeconds() / frameSeconds), maxLag = Math.min(n - window, (int) Math.round(q.loopMaxLagSeconds() / frameSeconds));
        double bestFraction = 0;
        int bestLag = -1, bestAt = -1;
        int[] match = new int[n + 1], snd = new int[n + 1];
        for (int lag = minLag; lag <= maxLag; lag++) {
            for (int t = 0; t + lag < n; t++) {
                boolean both = sounding[t] && sounding[t + lag];
                snd[t + 1] = snd[t] + (both ? 1 : 0);
                match[t + 1] = match[t] + (both && Spectra.distanceDb(feat[t], feat[t + lag]) < q.loopMaxDistanceDb() ? 1 : 0);
            }
            for (int t = 0; t + window + lag <= n; t++) {
                int s = snd[t + window] - snd[t];
                if (s < window / 3) continue;
                double frac = (match[t + window] - match[t]) / (double) s;
                if (frac > bestFraction) {
                    bestFraction = frac;
                    bestLag = lag;
                    bestAt = t;
                }
            }
        }
        if (bestFraction < q.loopMatchFraction()) return null;
        return new Finding(Finding.Kind.LOOP, 100 * bestFraction, 100 * q.loopMatchFraction(),
                String.format(java.util.Locale.ROOT, "%% of %.1f s repeated %.2f s later", minSeconds, bestLag * frameSeconds), (bestAt + bestLag) * frameSeconds,
                1 + bestFraction);
    }

    /** Words in the longest word sequence (of at least 3) that occurs twice in the text; 0 when none repeats. */
    static int longestRepeatedPhrase(String text) {
        if (text == null) return 0;
        String[] w = text.toLowerCase(java.util.Locale.ROOT).replaceAll("\\[speaker\\d+]", " ").replaceAll("[^\\p{L}\\p{N}' ]+", " ").strip().split("\\s+");
        int best = 0;
        for (int i = 0; i < w.length; i++)
            for (int j = i + 1; j < w.length; j++) {
                int m = 0;
                while (j + m < w.length && i + m < j && w[i + m].equals(w[j + m])) m++;
                if (m > best) best = m;
            }
        return best >= 3 ? best : 0;
    }

    private double soundThreshold(double[] frameDb) {
        if (frameDb.length == 0) return 0;
        double[] sorted = frameDb.clone();
        Arrays.sort(sorted);
        double loudest = sorted[sorted.length - 1], noise = sorted[sorted.length / 10];
        return Math.max(o.trimFloorDb(), Math.max(loudest - o.trimBelowPeakDb(), noise + o.trimAboveNoiseDb()));
    }

    /**
     * Repeated code n-grams: a run of codeLoopFrames frames (all codebooks equal) occurring codeLoopRepeats times.
     * Runs made of one repeated frame (steady silence codes) are the long-pause check's business, not a loop.
     */
    Finding codeLoop(int[][] codes) {
        int k = codes.length, frames = k == 0 ? 0 : codes[0].length, n = q.codeLoopFrames();
        Map<String, List<Integer>> seen = new HashMap<>();
        for (int t = 0; t + n <= frames; t++) {
            StringBuilder key = new StringBuilder();
            boolean allSame = true;
            for (int i = t; i < t + n; i++) {
                for (int c = 0; c < k; c++) {
                    key.append(codes[c][i]).append(',');
                    if (i > t && codes[c][i] != codes[c][i - 1]) allSame = false;
                }
                key.append(';');
            }
            if (allSame) continue;
            List<Integer> at = seen.computeIfAbsent(key.toString(), x -> new ArrayList<>());
            if (at.isEmpty() || t - at.getLast() >= n) at.add(t);   // count non-overlapping occurrences
            if (at.size() >= q.codeLoopRepeats())
                return new Finding(Finding.Kind.LOOP, at.size(), q.codeLoopRepeats() - 1, "repeats of a code run", Double.NaN, at.size() / (double) q.codeLoopRepeats());
        }
        return null;
    }
}
