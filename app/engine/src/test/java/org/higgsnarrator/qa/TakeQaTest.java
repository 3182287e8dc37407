package org.higgsnarrator.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioOptions;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.audio.LoudnessMeter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Take QA on real speech (espeak-ng): the clean clips pass, and each injected defect is flagged for what it is: an
 * inserted 4 s silence, a truncated ending, a looped second, clipping, and a level jump between neighbours.
 */
class TakeQaTest {
    static final String[] TEXTS = {
            "The quick brown fox jumps over the lazy dog, and then it runs into the forest to find its friends.",
            "She opened the old wooden door slowly. Behind it lay a narrow staircase that wound down into the dark cellar, "
                    + "where the air smelled of apples and damp stone.",
            "Captain Reyes studied the map for a long moment. We leave at dawn, he said at last, folding it carefully into his coat.",
            "It was the best of times, it was the worst of times. It was the age of wisdom, it was the age of foolishness.",
    };
    static final int[] SPEEDS = {130, 175, 230};   // espeak-ng words per minute: slow, its default, fast
    static final List<TakeQa.Take> CLEAN = new ArrayList<>();
    static final List<String> NAMES = new ArrayList<>();

    @BeforeAll
    static void speak(@TempDir Path dir) throws Exception {
        assumeTrue(has("espeak-ng"), "espeak-ng is not installed (apt-get install -y espeak-ng)");
        for (int t = 0; t < TEXTS.length; t++)
            for (int speed : SPEEDS) {
                Path wav = dir.resolve("s" + t + "_" + speed + ".wav");
                run("espeak-ng", "-s", String.valueOf(speed), "-w", wav.toString(), TEXTS[t]);
                CLEAN.add(new TakeQa.Take(AudioReader.read(wav), TEXTS[t]));
                NAMES.add("text " + (t + 1) + " @" + speed + " wpm");
            }
    }

    final TakeQa qa = new TakeQa();

    @Test
    void cleanSpeechIsNotFlagged() {
        for (int i = 0; i < CLEAN.size(); i++) {
            TakeReport r = qa.check(i, CLEAN.get(i));
            System.out.printf("clean %-20s %5.2f s, %4.2f words/s, level %5.1f dB  %s%n", NAMES.get(i), r.seconds(), r.wordsPerSecond(), r.levelDb(),
                    r.flagged() ? r.reason() : "ok");
            assertFalse(r.flagged(), NAMES.get(i) + ": " + r.reason());
        }
        List<TakeReport> chapter = qa.checkChapter(CLEAN);
        assertEquals(0, chapter.stream().filter(TakeReport::flagged).count(), "no level jumps between clean neighbours");
    }

    @Test
    void injectedDefectsAreFlagged() {
        for (int i = 0; i < CLEAN.size(); i++) {
            TakeQa.Take clean = CLEAN.get(i);
            float[] s = clean.audio().samples();
            int rate = clean.audio().sampleRate(), mid = s.length / 2;

            // a 4 s silence in the middle (at a pause or not: the gap is silence either way)
            expect(i, "4 s silence", with(clean, concat(slice(s, 0, mid), new float[4 * rate], slice(s, mid, s.length))), Finding.Kind.LONG_PAUSE);

            // cut off at 70 % of the clip, moved on to the next loud 10 ms frame (a cut in mid-word)
            double[] level = LoudnessMeter.frameLevelsDb(clean.audio(), AudioOptions.DEFAULTS);
            double loud = Arrays.stream(level).sorted().toArray()[(int) (level.length * 0.9)];
            int hop = (int) Math.round(AudioOptions.DEFAULTS.trimFrameSeconds() * rate), cut = (int) (s.length * 0.7) / hop;
            while (level[cut] < loud - 6) cut++;
            expect(i, "truncated", with(clean, slice(s, 0, (cut + 1) * hop)), Finding.Kind.CUT_OFF);

            // one second at 40 % played twice. A text that itself repeats a phrase (text 4: "it was the age of") may be
            // read the same way twice, so there a loop must outlast that phrase: 3 s are looped instead
            int at = (int) (s.length * 0.3), len = TakeQa.longestRepeatedPhrase(clean.text()) > 0 ? 3 * rate : rate;
            expect(i, "looped " + len / rate + " s", with(clean, concat(slice(s, 0, at + len), slice(s, at, at + len), slice(s, at + len, s.length))),
                    Finding.Kind.LOOP);

            // 10 dB too hot: clipped
            float[] hot = s.clone();
            for (int k = 0; k < hot.length; k++) hot[k] = Math.max(-1f, Math.min(1f, hot[k] * 3.16f));
            expect(i, "clipped", with(clean, hot), Finding.Kind.CLIPPING);
        }
    }

    @Test
    void levelJumpAgainstNeighbours() {
        List<TakeQa.Take> chapter = new ArrayList<>(CLEAN.subList(0, 5));
        chapter.set(2, with(chapter.get(2), chapter.get(2).audio().scaled(0.25).samples()));   // -12 dB
        List<TakeReport> r = qa.checkChapter(chapter);
        for (TakeReport t : r) System.out.printf("chapter take %d level %.1f dB %s%n", t.index(), t.levelDb(), t.reason());
        assertTrue(r.get(2).findings().stream().anyMatch(f -> f.kind() == Finding.Kind.LEVEL_JUMP), r.get(2).reason());
        assertEquals(1, r.stream().filter(TakeReport::flagged).count(), "only the quiet take is flagged");
        ChapterQaReport report = new ChapterQaReport("ch01", r, List.of(1, 1, 3, 1, 1));
        assertTrue(report.text().contains("FLAG #3") && report.text().contains("best of 3 takes"), report.text());
        var json = JsonParser.parseString(report.json()).getAsJsonObject();
        assertEquals(1, json.get("flagged").getAsInt());
        assertEquals("LEVEL_JUMP", json.getAsJsonArray("takes").get(2).getAsJsonObject().getAsJsonArray("findings").get(0).getAsJsonObject().get("kind").getAsString());
    }

    @Test
    void repeatedCodeRunsAndFrameLimit() {
        TakeQa.Take clean = CLEAN.get(0);
        int k = 4, frames = 200;
        int[][] codes = new int[k][frames];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int c = 0; c < k; c++) for (int f = 0; f < frames; f++) codes[c][f] = r.nextInt(1024);
        assertFalse(qa.check(0, new TakeQa.Take(clean.audio(), clean.text(), codes, false)).flagged(), "random codes do not loop");
        for (int rep = 1; rep <= 3; rep++)   // frames 20..39 repeated three times
            for (int c = 0; c < k; c++) System.arraycopy(codes[c], 20, codes[c], 20 + rep * 40, 20);
        TakeReport looped = qa.check(0, new TakeQa.Take(clean.audio(), clean.text(), codes, false));
        assertTrue(looped.findings().stream().anyMatch(f -> f.kind() == Finding.Kind.LOOP), looped.reason());
        TakeReport limit = qa.check(0, new TakeQa.Take(clean.audio(), clean.text(), null, true));
        assertTrue(limit.findings().stream().anyMatch(f -> f.kind() == Finding.Kind.FRAME_LIMIT), limit.reason());
    }

    @Test
    void speakingRateAgainstWords() {
        TakeQa.Take clean = CLEAN.get(3);   // 20 words at 130 wpm
        TakeReport twiceTheWords = qa.check(0, new TakeQa.Take(clean.audio(), clean.text() + " " + clean.text() + " " + clean.text()));
        assertTrue(twiceTheWords.findings().stream().anyMatch(f -> f.kind() == Finding.Kind.TOO_FAST), twiceTheWords.reason());
        TakeReport fewWords = qa.check(0, new TakeQa.Take(clean.audio(), "The quick brown fox."));
        assertTrue(fewWords.findings().stream().anyMatch(f -> f.kind() == Finding.Kind.TOO_SLOW), fewWords.reason());
        assertEquals(0, TakeQa.longestRepeatedPhrase("The quick brown fox jumps."));
        assertEquals(3, TakeQa.longestRepeatedPhrase("It was the age of wisdom, it was the worst"));
        assertEquals(5, TakeQa.longestRepeatedPhrase("It was the age of wisdom, it was the age of foolishness"));
    }

    private void expect(int i, String defect, TakeQa.Take take, Finding.Kind kind) {
        TakeReport r = qa.check(i, take);
        System.out.printf("%-14s %-20s score %5.2f  %s%n", defect, NAMES.get(i), r.score(), r.reason());
        Set<Finding.Kind> kinds = EnumSet.noneOf(Finding.Kind.class);
        r.findings().forEach(f -> kinds.add(f.kind()));
        assertTrue(kinds.contains(kind), NAMES.get(i) + " " + defect + ": expected " + kind + ", got " + r.reason());
    }

    private static TakeQa.Take with(TakeQa.Take t, float[] samples) {
        return new TakeQa.Take(new AudioClip(samples, t.audio().sampleRate()), t.text());
    }

    private static float[] slice(float[] s, int from, int to) {
        return Arrays.copyOfRange(s, from, to);
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static boolean has(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
}
