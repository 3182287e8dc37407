package org.higgsnarrator.ui.script;

import java.util.regex.Pattern;
import org.higgsnarrator.text.TextNormalizer;

/**
 * The studio's effect menu: a label per sound event of {@link TextNormalizer#SOUND_EVENTS} (the engine turns
 * {@code [laugh]} into {@code <SE>[Laughter]</SE>} and so on), start and end tags paired into one span entry. A span
 * tag wraps the selected text between its start and end markers. EffectTagTest checks the menu covers that list
 * exactly.
 */
public enum EffectTag {
    LAUGH("Laugh", "[laugh]", null),
    HUMMING("Humming", "[humming start]", "[humming end]"),
    MUSIC("Music (short)", "[music]", null),
    MUSIC_SPAN("Music (under text)", "[music start]", "[music end]"),
    SINGING("Singing", "[sing start]", "[sing end]"),
    APPLAUSE("Applause", "[applause]", null),
    CHEERING("Cheering", "[cheering]", null),
    COUGH("Cough", "[cough]", null);

    public final String label;
    public final String start;
    /** Null for a point tag. */
    public final String end;

    EffectTag(String label, String start, String end) {
        this.label = label;
        this.start = start;
        this.end = end;
    }

    public boolean isSpan() {
        return end != null;
    }

    /** Text that replaces the selection {@code selected} (empty when nothing is selected). */
    public String apply(String selected) {
        return isSpan() ? start + " " + selected + " " + end : (selected.isEmpty() ? start : selected + " " + start);
    }

    /**
     * Matches any tag the engine's normalizer turns into a sound event ({@link TextNormalizer#SOUND_EVENTS}, the one
     * list), case-insensitively; longest first so "[music start]" is not read as "[music]".
     */
    public static final Pattern ANY = Pattern.compile(TextNormalizer.SOUND_EVENTS.stream().map(java.util.Map.Entry::getKey)
            .sorted(java.util.Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
            .collect(java.util.stream.Collectors.joining("|")), Pattern.CASE_INSENSITIVE);
}
