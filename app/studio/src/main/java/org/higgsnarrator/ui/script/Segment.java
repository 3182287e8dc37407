package org.higgsnarrator.ui.script;

/**
 * One unit of rendering: a paragraph of narration or one speaker's line.
 *
 * @param index        position in the chapter (0-based)
 * @param start        offset of the segment's first character in the script (tag included)
 * @param end          offset just past its last character
 * @param speakerIndex {@code [SPEAKERn]} → n; -1 when the line names the speaker ({@link #speakerName}) or is narration
 * @param speakerName  {@code Name:} → "Name"; null for {@code [SPEAKERn]} lines and narration
 * @param tagEnd       offset just past the speaker prefix ({@code == start} when there is none)
 * @param text         the words to speak: prefix removed, lines joined with single spaces
 */
public record Segment(int index, int start, int end, int speakerIndex, String speakerName, int tagEnd, String text) {
    public boolean isNarration() {
        return speakerIndex < 0 && speakerName == null;
    }

    public boolean hasTag() {
        return tagEnd > start;
    }
}
