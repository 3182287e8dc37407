package org.higgsnarrator.ui.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a chapter script into segments. The studio's own simple parser (the text module has the canonical
 * normaliser and chunker that the engine applies to each segment's text):
 * <ul>
 *   <li>a blank line ends a segment;</li>
 *   <li>a line starting with {@code [SPEAKERn]} or {@code Name:} starts a new segment for that speaker; following
 *       lines without a prefix continue it;</li>
 *   <li>other paragraphs are narration (read by the project's first speaker).</li>
 * </ul>
 * {@code Name:} counts as a speaker prefix when Name is a known speaker, or when it is one to three capitalised
 * words (so "Alice:" and "Dr. Watson:" create speakers while "note: …" stays narration).
 */
public final class ScriptParser {
    private static final Pattern SPEAKER_TAG = Pattern.compile("^[ \\t]*\\[SPEAKER(\\d+)][ \\t]*");
    private static final Pattern NAME_PREFIX = Pattern.compile("^[ \\t]*([\\p{L}][\\p{L}\\p{N}.'’ -]{0,40}?):[ \\t]+");
    private static final Pattern CAPITALISED = Pattern.compile("(\\p{Lu}[\\p{L}\\p{N}.'’-]*)( \\p{Lu}[\\p{L}\\p{N}.'’-]*){0,2}");

    private ScriptParser() {}

    /** @param knownNames speaker names of the project (matched case-insensitively) */
    public static List<Segment> parse(String script, Set<String> knownNames) {
        Set<String> known = new java.util.HashSet<>();
        for (String n : knownNames) known.add(n.toLowerCase(Locale.ROOT));
        List<Segment> out = new ArrayList<>();
        Builder cur = null;
        int pos = 0;
        int n = script.length();
        while (pos <= n) {
            int eol = script.indexOf('\n', pos);
            if (eol < 0) eol = n;
            String line = script.substring(pos, eol);
            if (line.isBlank()) {
                if (cur != null) out.add(cur.build(out.size()));
                cur = null;
            } else {
                Matcher tag = SPEAKER_TAG.matcher(line);
                Matcher name = NAME_PREFIX.matcher(line);
                boolean isName = false;
                if (!tag.find() && name.find()) {
                    String nm = name.group(1).strip();
                    isName = known.contains(nm.toLowerCase(Locale.ROOT)) || CAPITALISED.matcher(nm).matches();
                }
                tag.reset();
                if (tag.find()) {
                    if (cur != null) out.add(cur.build(out.size()));
                    cur = new Builder(pos, Integer.parseInt(tag.group(1)), null, pos + tag.end());
                    cur.add(line.substring(tag.end()), eol);
                } else if (isName) {
                    if (cur != null) out.add(cur.build(out.size()));
                    cur = new Builder(pos, -1, name.group(1).strip(), pos + name.end());
                    cur.add(line.substring(name.end()), eol);
                } else {
                    if (cur == null) cur = new Builder(pos + indent(line), -1, null, pos + indent(line));
                    cur.add(line, eol);
                }
            }
            pos = eol + 1;
        }
        if (cur != null) out.add(cur.build(out.size()));
        out.removeIf(s -> s.text().isEmpty());
        // Re-number after dropping empty ones (a lone "Alice:" line).
        List<Segment> numbered = new ArrayList<>(out.size());
        for (Segment s : out) {
            numbered.add(new Segment(numbered.size(), s.start(), s.end(), s.speakerIndex(), s.speakerName(), s.tagEnd(), s.text()));
        }
        return numbered;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        return i;
    }

    private static final class Builder {
        final int start;
        final int speakerIndex;
        final String speakerName;
        final int tagEnd;
        int end;
        final StringBuilder text = new StringBuilder();

        Builder(int start, int speakerIndex, String speakerName, int tagEnd) {
            this.start = start;
            this.speakerIndex = speakerIndex;
            this.speakerName = speakerName;
            this.tagEnd = tagEnd;
            this.end = tagEnd;
        }

        void add(String words, int lineEnd) {
            String w = words.strip().replaceAll("\\s+", " ");
            if (w.isEmpty()) return;
            if (!text.isEmpty()) text.append(' ');
            text.append(w);
            end = lineEnd;
        }

        Segment build(int index) {
            return new Segment(index, start, end, speakerIndex, speakerName, tagEnd, text.toString());
        }
    }
}
