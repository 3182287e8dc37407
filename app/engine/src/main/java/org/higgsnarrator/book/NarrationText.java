package org.higgsnarrator.book;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cleans book text for narration, what a reader's eye skips and a voice would read out: footnote markers, page
 * numbers, hyphenation at line ends, soft hyphens, non-breaking and zero-width spaces. Quotes, dashes and the lines
 * of a dialogue are left as they are.
 */
public final class NarrationText {
    private NarrationText() {}

    /** A word broken over a line end: "exam-\nple" (lower-case letters on both sides, so "well-\nKnown" stays). */
    private static final Pattern LINE_END_HYPHEN = Pattern.compile("(\\p{Ll})-[ \\t]*\\r?\\n[ \\t]*(\\p{Ll})");
    /** A line that is only a page number: "12", "- 12 -", "Page 12", "[p. 12]". */
    private static final Pattern PAGE_NUMBER_LINE = Pattern.compile(
            "(?im)^[ \\t]*(?:(?:page|p\\.)[ \\t]*\\d{1,4}|[-–—][ \\t]*\\d{1,4}[ \\t]*[-–—]|\\[(?:page|p\\.)[ \\t]*\\d{1,4}]|\\d{1,4})[ \\t]*$");
    /** Footnote markers glued to the text: "word[12]", "end.[3]", "word¹²", Markdown "[^note]". */
    private static final Pattern NOTE_MARKER = Pattern.compile("(?<=[\\p{L}\\p{N}.,;:!?’'\")\\]])(?:\\[\\d{1,3}]|[¹²³⁰⁴-⁹]+|\\[\\^[^\\]\\s]{1,20}])");
    private static final Pattern MD_NOTE_MARKER = Pattern.compile("\\[\\^[^\\]\\s]{1,20}]");
    /** Spaces that should read as a plain space. */
    private static final Pattern ODD_SPACE = Pattern.compile("[\\u00A0\\u2007\\u202F\\u2000-\\u200A\\u205F\\u3000\\t]");
    /** Invisible characters: soft hyphen, zero-width space, word joiner, BOM. (ZWJ/ZWNJ stay: some scripts need them.) */
    private static final Pattern INVISIBLE = Pattern.compile("[\\u00AD\\u200B\\u2060\\uFEFF]");
    private static final Pattern SPACES = Pattern.compile(" {2,}");

    /** One paragraph's text (lines kept: a script joins them): invisible characters, odd spaces and markers cleaned. */
    public static String paragraph(String text) {
        String s = INVISIBLE.matcher(text).replaceAll("");
        s = ODD_SPACE.matcher(s).replaceAll(" ");
        s = NOTE_MARKER.matcher(s).replaceAll("");
        s = MD_NOTE_MARKER.matcher(s).replaceAll("");
        List<String> lines = new ArrayList<>();
        for (String line : s.split("\\r?\\n")) {
            String l = SPACES.matcher(line).replaceAll(" ").strip();
            if (!l.isEmpty()) lines.add(l);
        }
        return String.join("\n", lines);
    }

    /**
     * Running text as found in plain-text and Markdown books: joins words hyphenated at line ends and drops lines
     * that are only page numbers (and form feeds), before the text is cut into paragraphs.
     */
    public static String running(String text) {
        String s = text.replace("\f", "\n");
        s = INVISIBLE.matcher(s).replaceAll("");
        s = LINE_END_HYPHEN.matcher(s).replaceAll("$1$2");
        return PAGE_NUMBER_LINE.matcher(s).replaceAll("");
    }

    /** True when a paragraph has something to say (not only punctuation or symbols). */
    public static boolean speakable(String paragraph) {
        return paragraph.codePoints().anyMatch(Character::isLetterOrDigit);
    }
}
