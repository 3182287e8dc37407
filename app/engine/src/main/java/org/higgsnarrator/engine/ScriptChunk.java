package org.higgsnarrator.engine;

/**
 * One generation unit of a chapter: text of one speaker, short enough for one prompt.
 *
 * @param speaker the speaker's name as tagged in the script, or {@link Voice#NARRATOR} for untagged text
 * @param text    the words to speak (not yet normalized: the prompt renderer normalizes)
 */
public record ScriptChunk(String speaker, String text) {
    public int words() {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }
}
