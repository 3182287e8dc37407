package org.higgsnarrator.book;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Captions (SRT, WebVTT) and read-along timings: one cue per sentence, timed from the generated audio. A segment's
 * start and end are exact (its take's length); inside a segment of several sentences each boundary is first placed
 * in proportion to the sentences' lengths in characters, then moved to the quietest 20 ms within ±0.4 s of that
 * estimate (the pause between sentences) but no further than half of either neighbour's share. The boundaries inside a segment are
 * therefore an estimate, the segment edges are not.
 */
public final class Captions {
    private Captions() {}

    /**
     * @param start     seconds from the chapter's start
     * @param end       seconds
     * @param text      the sentence as written
     * @param paragraph index of the paragraph (segment) it belongs to, for read-along layout
     */
    public record Cue(double start, double end, String text, int paragraph) {}

    /**
     * A sentence and where it is in the text it was found in.
     *
     * @param text  the sentence, white space collapsed
     * @param start offset of its first character in the text given to {@link #sentenceSpans}
     * @param end   offset just past its last character
     */
    public record Sentence(String text, int start, int end) {}

    /** The sentences of a text, as written (white space collapsed), by the JDK's sentence rules for {@code locale}. */
    public static List<String> sentences(String text, Locale locale) {
        return sentenceSpans(text, locale).stream().map(Sentence::text).toList();
    }

    /**
     * The same sentences as {@link #sentences} with their offsets in {@code text} (the studio highlights the sentence
     * being played with them): the rules run on the text with white space collapsed, as for the captions.
     */
    public static List<Sentence> sentenceSpans(String text, Locale locale) {
        StringBuilder t = new StringBuilder(text.length());
        int[] at = new int[text.length() + 1]; // offset in text of each character of t
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (" \t\n\u000B\f\r".indexOf(c) >= 0) { // the regular expression \s, as the script parser collapses
                if (t.isEmpty() || t.charAt(t.length() - 1) == ' ') continue;
                c = ' ';
            }
            at[t.length()] = i;
            t.append(c);
        }
        while (!t.isEmpty() && t.charAt(t.length() - 1) == ' ') t.setLength(t.length() - 1);
        List<Sentence> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(locale);
        String collapsed = t.toString();
        it.setText(collapsed);
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            int a = start, b = end;
            while (a < b && Character.isWhitespace(collapsed.charAt(a))) a++;
            while (b > a && Character.isWhitespace(collapsed.charAt(b - 1))) b--;
            if (a < b) out.add(new Sentence(collapsed.substring(a, b), at[a], at[b - 1] + 1));
        }
        return out;
    }

    /**
     * Cues for one segment's sentences.
     *
     * @param pcm    the segment's audio (mono)
     * @param offset    where the segment starts in the chapter, seconds
     * @param paragraph the segment's index in the chapter
     */
    public static List<Cue> time(List<String> sentences, float[] pcm, int rate, double offset, int paragraph) {
        List<Cue> out = new ArrayList<>();
        if (sentences.isEmpty()) return out;
        double length = pcm.length / (double) rate;
        int total = 0;
        for (String s : sentences) total += weight(s);
        int frame = Math.max(1, rate / 50); // 20 ms
        double prev = 0;
        int acc = 0;
        for (int i = 0; i < sentences.size(); i++) {
            acc += weight(sentences.get(i));
            double end;
            if (i == sentences.size() - 1) {
                end = length;
            } else {
                double estimate = length * acc / total;
                // Search at most half of either neighbour's share, so that no sentence shrinks to nothing.
                double before = length * weight(sentences.get(i)) / total, after = length * weight(sentences.get(i + 1)) / total;
                end = quietest(pcm, rate, frame, Math.max(prev + 0.02, estimate - Math.min(0.4, before / 2)),
                        Math.min(length - 0.02, estimate + Math.min(0.4, after / 2)), estimate);
            }
            out.add(new Cue(offset + prev, offset + Math.max(end, prev), sentences.get(i), paragraph));
            prev = Math.max(end, prev);
        }
        return out;
    }

    private static int weight(String s) {
        return Math.max(1, s.replaceAll("\\s", "").length());
    }

    /** Centre of the quietest 20 ms frame between {@code from} and {@code to} seconds (the estimate when the range is empty). */
    private static double quietest(float[] pcm, int rate, int frame, double from, double to, double estimate) {
        int a = (int) Math.max(0, Math.round(from * rate)), b = (int) Math.min(pcm.length - frame, Math.round(to * rate));
        if (b <= a) return Math.min(Math.max(estimate, from), Math.max(from, to));
        double best = Double.MAX_VALUE;
        int at = a;
        for (int s = a; s <= b; s += frame / 2) {
            double e = 0;
            for (int k = s; k < s + frame; k++) e += pcm[k] * pcm[k];
            // Prefer, among equally quiet frames, the one nearest the estimate (silence spans several frames).
            e += 1e-9 * Math.abs(s - estimate * rate);
            if (e < best) {
                best = e;
                at = s;
            }
        }
        return (at + frame / 2.0) / rate;
    }

    public static String srt(List<Cue> cues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            Cue c = cues.get(i);
            sb.append(i + 1).append('\n').append(stamp(c.start(), ',')).append(" --> ").append(stamp(c.end(), ',')).append('\n')
                    .append(c.text()).append("\n\n");
        }
        return sb.toString();
    }

    public static String vtt(List<Cue> cues) {
        StringBuilder sb = new StringBuilder("WEBVTT\n\n");
        for (Cue c : cues) {
            sb.append(stamp(c.start(), '.')).append(" --> ").append(stamp(c.end(), '.')).append('\n')
                    .append(c.text().replace("-->", "->")).append("\n\n");
        }
        return sb.toString();
    }

    static String stamp(double seconds, char decimal) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, decimal, ms % 1000);
    }
}
