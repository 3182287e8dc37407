package org.higgsnarrator.engine;

import java.util.regex.Pattern;

/**
 * One generation unit of a chapter: one speaker's turn (or a part of a long one), short enough for one prompt.
 *
 * @param speaker the speaker as the script names it: {@code Alice} for {@code Alice:} lines, {@code SPEAKER1} for
 *                {@code [SPEAKER1]} tags, {@link Voice#NARRATOR} for untagged text
 * @param slot    the speaker's slot n (the prompt's {@code SPEAKERn}); -1 for untagged text in a script without speakers
 * @param text    what the model reads, as {@link org.higgsnarrator.text.Script#chunks} makes it: normalized, prefixed
 *                {@code [SPEAKERn] } when the script has several speakers
 */
public record ScriptChunk(String speaker, int slot, String text) {
    private static final Pattern TAG = Pattern.compile("\\[SPEAKER\\d+]");

    /** Words to speak (speaker tags are not words). */
    public int words() {
        return countWords(text);
    }

    /** Words in a chunk's text: whitespace-separated, speaker tags not counted. */
    public static int countWords(String text) {
        if (text == null) return 0;
        String t = TAG.matcher(text).replaceAll(" ").strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }
}
