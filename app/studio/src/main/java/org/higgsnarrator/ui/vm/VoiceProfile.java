package org.higgsnarrator.ui.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * Speaker profile text in the style of the release's profiles (docs/higgs-model-spec.md): attributes joined with
 * commas, the last one with ", and", ending in a period. {@code compose("Male", "American", "modern", "moderate",
 * "friendly", "very clear")} gives the release's male_en profile exactly.
 */
public final class VoiceProfile {
    private VoiceProfile() {}

    public static final List<String> GENDERS = List.of("Male", "Female");
    public static final List<String> ACCENTS = List.of("American", "British", "Australian", "Irish", "Scottish", "Indian", "Canadian");
    public static final List<String> RATES = List.of("slow", "modern", "fast");
    public static final List<String> PITCHES = List.of("low", "moderate", "high");
    public static final List<String> TONES = List.of("friendly", "calm", "warm", "authoritative", "cheerful", "serious", "gentle");
    public static final List<String> QUALITIES = List.of("very clear", "clear", "studio-quality");

    /** The release's male_en profile. */
    public static final String MALE_EN = "Male, American accent, modern speaking rate, moderate-pitch, friendly tone, and very clear audio.";

    /** Blank attributes are left out. */
    public static String compose(String gender, String accent, String rate, String pitch, String tone, String quality) {
        List<String> parts = new ArrayList<>();
        if (notBlank(gender)) parts.add(gender.strip());
        if (notBlank(accent)) parts.add(accent.strip() + " accent");
        if (notBlank(rate)) parts.add(rate.strip() + " speaking rate");
        if (notBlank(pitch)) parts.add(pitch.strip() + "-pitch");
        if (notBlank(tone)) parts.add(tone.strip() + " tone");
        if (notBlank(quality)) parts.add(quality.strip() + " audio");
        if (parts.isEmpty()) return "";
        if (parts.size() == 1) return parts.getFirst() + ".";
        return String.join(", ", parts.subList(0, parts.size() - 1)) + ", and " + parts.getLast() + ".";
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
