package org.higgsnarrator.ui.script;

import java.util.regex.Pattern;

/**
 * Inline sound-effect tags the model knows (docs/higgs-model-spec.md, "Text normalization of the official
 * example"): the text module turns {@code [laugh]} into {@code <SE>[Laughter]</SE>} and so on. A span tag wraps the
 * selected text between its start and end markers.
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

    /** Matches any known tag, case-insensitively. */
    public static final Pattern ANY = Pattern.compile(
            "\\[(laugh|humming start|humming end|music start|music end|music|sing start|sing end|applause|cheering|cough)]",
            Pattern.CASE_INSENSITIVE);
}
