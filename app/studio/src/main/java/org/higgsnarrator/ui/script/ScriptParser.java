package org.higgsnarrator.ui.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.higgsnarrator.book.Captions;
import org.higgsnarrator.text.Script;
import org.higgsnarrator.text.ScriptOptions;

/**
 * A chapter script as the studio shows and renders it: one {@link Segment} per speaker turn of the engine's parse
 * ({@link Script#parse} with the options the engine's {@code ChapterSplitter} uses: the defaults), so the studio's segments are the
 * engine's turns — same paragraphs, same {@code [SPEAKERn]} tags, same {@code Name:} rule. Script keeps no character
 * offsets, so the only parsing left here is finding each turn (and its prefix) in the text, for highlighting.
 */
public final class ScriptParser {
    /** The defaults, as engine.ChapterSplitter parses a chapter (ScriptParserTest checks the two agree). */
    private static final ScriptOptions OPTIONS = ScriptOptions.defaults();
    private static final Pattern TAG_BEFORE = Pattern.compile("\\[SPEAKER(\\d+)]\\s*\\z");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NAME_BEFORE = Pattern.compile("(?m)^[ \\t]*(\\S[^:\\n]*):[ \\t]+\\z");

    private ScriptParser() {}

    public static List<Segment> parse(String script) {
        List<Segment> out = new ArrayList<>();
        int cursor = 0;
        for (Script.Chapter c : Script.parse(script, OPTIONS).chapters()) {
            for (Script.Paragraph p : c.paragraphs()) {
                for (Script.Turn t : p.turns()) {
                    int from = find(script, cursor, t.text());
                    // Cannot happen while Script only strips and joins lines; if it ever did, highlight nothing
                    // rather than break the editor: the segment's words are what gets rendered.
                    int end = from < 0 ? cursor : matchEnd(script, from, t.text());
                    out.add(segment(script, out.size(), cursor, from < 0 ? cursor : from, end, t));
                    cursor = end;
                }
            }
        }
        return out;
    }

    /**
     * The sentences of segment {@code s} as ranges of {@code script}: the sentences the captions and the player's
     * sentence timings use ({@link Captions#sentenceSpans} on the segment's words, which differ from the script only
     * in white space).
     */
    public static List<Captions.Sentence> sentences(String script, Segment s) {
        int from = Math.min(s.tagEnd(), script.length()), to = Math.min(Math.max(s.end(), from), script.length());
        return Captions.sentenceSpans(script.substring(from, to), Locale.ROOT).stream()
                .map(x -> new Captions.Sentence(x.text(), x.start() + from, x.end() + from)).toList();
    }

    /** The segment for turn {@code t} whose words span {@code [from, end)}; its prefix lies between cursor and from. */
    private static Segment segment(String script, int index, int cursor, int from, int end, Script.Turn t) {
        String words = WHITESPACE.matcher(t.text()).replaceAll(" ");
        String before = script.substring(cursor, from);
        if (t.speaker() >= 0) {
            Matcher tag = TAG_BEFORE.matcher(before);
            if (tag.find() && Integer.parseInt(tag.group(1)) == t.speaker()) {
                int start = cursor + tag.start();
                return new Segment(index, start, end, t.speaker(), null, from, words);
            }
            Matcher name = NAME_BEFORE.matcher(before);
            if (name.find()) {
                int start = cursor + name.start(1);
                return new Segment(index, start, end, -1, name.group(1).strip(), from, words);
            }
        }
        // Narration, or a speaker's turn carried on after a tag cut its line (no prefix of its own).
        return new Segment(index, from, end, t.speaker(), null, from, words);
    }

    /** First offset at or after {@code from} where {@code words} match. */
    private static int find(String s, int from, String words) {
        for (int i = from; i < s.length(); i++) if (matchEnd(s, i, words) >= 0) return i;
        return -1;
    }

    /** End of the match of {@code words} at {@code at}, or -1; a whitespace run in words matches any whitespace run. */
    private static int matchEnd(String s, int at, String words) {
        int i = at;
        for (int k = 0; k < words.length(); k++) {
            char w = words.charAt(k);
            if (Character.isWhitespace(w)) {
                while (k + 1 < words.length() && Character.isWhitespace(words.charAt(k + 1))) k++;
                if (i >= s.length() || !Character.isWhitespace(s.charAt(i))) return -1;
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
            } else {
                if (i >= s.length() || s.charAt(i) != w) return -1;
                i++;
            }
        }
        return i;
    }
}
