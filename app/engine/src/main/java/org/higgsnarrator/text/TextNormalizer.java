package org.higgsnarrator.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text normalization of the official Higgs Audio v2 example ({@code examples/generation.py}), applied to every
 * text the model reads. In order:
 * <ol>
 *   <li>Chinese full-width punctuation → ASCII ({@code ，}→{@code ", "}, {@code 。}→{@code .}, {@code “”}→{@code "}, …);</li>
 *   <li>parentheses → spaces; {@code °F}/{@code °C} → " degrees Fahrenheit"/" degrees Celsius";</li>
 *   <li>sound-event tags: {@code [laugh]} → {@code <SE>[Laughter]</SE>}, {@code [music start]} →
 *       {@code <SE_s>[Music]</SE_s>}, … (the model was trained on these special tokens);</li>
 *   <li>runs of whitespace within a line collapse to one space, blank lines go, the text is trimmed;</li>
 *   <li>a final "." is added unless the text ends with . ! ? , ; " ' {@code </SE_e>} or {@code </SE>}.</li>
 * </ol>
 * Whitespace is Python's ({@code str.split()}), so U+3000 and U+00A0 count as spaces, as in the reference.
 */
public final class TextNormalizer {
    private TextNormalizer() {}

    /** Full-width punctuation and its ASCII replacement, in the example's order. */
    private static final String[][] PUNCTUATION = {
            {"，", ", "}, {"。", "."}, {"：", ":"}, {"；", ";"}, {"？", "?"}, {"！", "!"}, {"（", "("}, {"）", ")"},
            {"【", "["}, {"】", "]"}, {"《", "<"}, {"》", ">"}, {"“", "\""}, {"”", "\""}, {"‘", "'"}, {"’", "'"},
            {"、", ","}, {"—", "-"}, {"…", "..."}, {"·", "."}, {"「", "\""}, {"」", "\""}, {"『", "\""}, {"』", "\""}};

    private static final String[][] SYMBOLS = {{"(", " "}, {")", " "}, {"°F", " degrees Fahrenheit"}, {"°C", " degrees Celsius"}};

    /** Sound-event tags users write, and the special-token markup the model knows; applied in this order. */
    public static final List<Map.Entry<String, String>> SOUND_EVENTS = List.of(
            Map.entry("[laugh]", "<SE>[Laughter]</SE>"),
            Map.entry("[humming start]", "<SE_s>[Humming]</SE_s>"),
            Map.entry("[humming end]", "<SE_e>[Humming]</SE_e>"),
            Map.entry("[music start]", "<SE_s>[Music]</SE_s>"),
            Map.entry("[music end]", "<SE_e>[Music]</SE_e>"),
            Map.entry("[music]", "<SE>[Music]</SE>"),
            Map.entry("[sing start]", "<SE_s>[Singing]</SE_s>"),
            Map.entry("[sing end]", "<SE_e>[Singing]</SE_e>"),
            Map.entry("[applause]", "<SE>[Applause]</SE>"),
            Map.entry("[cheering]", "<SE>[Cheering]</SE>"),
            Map.entry("[cough]", "<SE>[Cough]</SE>"));

    private static final List<String> FINAL = List.of(".", "!", "?", ",", ";", "\"", "'", "</SE_e>", "</SE>");

    /** All five steps: for one whole transcript (the release normalizes the transcript once, before chunking). */
    public static String normalize(String text) {
        return withFinalPeriod(normalizeBody(text));
    }

    /**
     * Steps 1–4 without the final period: for a part of a transcript (a turn, a paragraph), whose end is not the
     * transcript's end. boson-ai/higgs-audio examples/generation.py (main, L700–728) normalizes the whole transcript
     * once and only then chunks it, so a chunk cut mid-sentence, or a turn the author left without a period, gains none.
     */
    public static String normalizeBody(String text) {
        String s = text;
        for (String[] p : PUNCTUATION) s = s.replace(p[0], p[1]);
        for (String[] p : SYMBOLS) s = s.replace(p[0], p[1]);
        for (Map.Entry<String, String> e : SOUND_EVENTS) s = s.replace(e.getKey(), e.getValue());

        List<String> lines = new ArrayList<>();
        for (String line : s.split("\n", -1)) {
            String collapsed = String.join(" ", pySplit(line));
            if (!collapsed.isEmpty()) lines.add(collapsed);
        }
        return PromptBuilder.trim(String.join("\n", lines));
    }

    /** Step 5: a final "." unless the text already ends with one of the accepted endings. */
    public static String withFinalPeriod(String s) {
        for (String end : FINAL) if (s.endsWith(end)) return s;
        return s + ".";
    }

    /** Python's {@code str.split()}: the non-empty runs between whitespace. */
    static List<String> pySplit(String line) {
        List<String> words = new ArrayList<>();
        int i = 0, n = line.length();
        while (i < n) {
            while (i < n && PromptBuilder.isPySpace(line.charAt(i))) i++;
            int b = i;
            while (i < n && !PromptBuilder.isPySpace(line.charAt(i))) i++;
            if (i > b) words.add(line.substring(b, i));
        }
        return words;
    }
}
