package org.higgsnarrator.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user writes, parsed: chapters of paragraphs of speaker turns.
 *
 * <pre>
 * # Chapter title            a Markdown heading starts a chapter (text before the first heading: an untitled one)
 * Plain prose …              paragraphs are separated by blank lines; wrapped lines join with a space
 * [SPEAKER1] Hello.          a speaker tag (anywhere in a line) starts a turn of slot 1
 * Alice: Hi there.           "Name:" at the start of a line starts a turn of Alice's slot
 * </pre>
 *
 * @param chapters the chapters in order
 * @param cast     speaker name → slot, for every speaker that occurs ({@code SPEAKERn} for tags)
 */
public record Script(List<Chapter> chapters, Map<String, Integer> cast) {
    public record Chapter(String title, List<Paragraph> paragraphs) {}

    public record Paragraph(List<Turn> turns) {}

    /** @param speaker slot (0 = SPEAKER0), or -1 for untagged text; {@code text} is as written (not normalized) */
    public record Turn(int speaker, String text) {}

    /**
     * One piece of text to generate in one go.
     *
     * @param chapter   index into {@link #chapters()}
     * @param paragraph index of the paragraph within the chapter where the chunk starts
     * @param speaker   the chunk's only speaker slot, or -1 (untagged, or several speakers in one paragraph chunk)
     * @param text      what the model reads: normalized (the whole turn, before cutting), with {@code [SPEAKERn] } tags when the script has several speakers
     */
    public record Chunk(int chapter, int paragraph, int speaker, String text) {}

    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}(?:\\s+(.*?))?\\s*$");
    private static final Pattern TAG = Pattern.compile("\\[SPEAKER(\\d+)\\]");
    /** Up to three capitalised words, a colon, then text: "Alice:", "Dr. Who:", "Jean-Luc Picard:". */
    private static final Pattern NAME_LINE = Pattern.compile("^\\s*(\\p{Lu}[\\p{L}\\p{M}'’.\\-]*(?: \\p{Lu}[\\p{L}\\p{M}'’.\\-]*){0,2}):\\s+(\\S.*)$");

    /** Anything that looks like a speaker tag: any case, spaces, underscores, a missing number or bracket. */
    private static final Pattern TAG_LIKE = Pattern.compile("(?i)[\\[(<{]\\s*speaker[\\s_\\-#]*\\d*\\s*[\\])>}]?");

    /**
     * Speaker tags that are not written as {@code [SPEAKERn]} (e.g. "[Speaker 1]", "[SPEAKER]", "[SPEAKER1"): the parser
     * does not take them as tags, so they would be read aloud as text. One line per such tag, with its line number and
     * what to write instead.
     */
    public static List<String> malformedTags(String text) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = TAG_LIKE.matcher(lines[i]);
            while (m.find()) {
                String found = m.group();
                if (TAG.matcher(found).matches()) continue;
                String digits = found.replaceAll("\\D", "");
                out.add("line " + (i + 1) + ": \"" + found.strip() + "\" is not a speaker tag and would be read aloud; write [SPEAKER"
                        + (digits.isEmpty() ? "n" : digits) + "] (capitals, no space, square brackets)");
            }
        }
        return out;
    }

    public static Script parse(String text, ScriptOptions options) {
        // Explicit tags own their slot numbers; names then take the lowest free slots.
        TreeSet<Integer> taken = new TreeSet<>(options.cast().values());
        Matcher tm = TAG.matcher(text);
        while (tm.find()) taken.add(slotNumber(tm.group(1)));

        Map<String, Integer> cast = new LinkedHashMap<>();
        List<Chapter> chapters = new ArrayList<>();
        String title = "";
        List<Paragraph> paragraphs = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        StringBuilder cur = null;
        int curSpeaker = -1;

        for (String raw : text.split("\\R", -1)) {
            String line = raw.strip();
            Matcher h = HEADING.matcher(raw);
            if (line.isEmpty() || h.matches()) {
                cur = endTurn(turns, cur, curSpeaker);
                if (!turns.isEmpty()) paragraphs.add(new Paragraph(List.copyOf(turns)));
                turns.clear();
                curSpeaker = -1;   // a new paragraph without a tag is narration
                if (h.matches() && !line.isEmpty()) {
                    if (!paragraphs.isEmpty() || !title.isEmpty()) chapters.add(new Chapter(title, List.copyOf(paragraphs)));
                    paragraphs.clear();
                    title = h.group(1) == null ? "" : h.group(1);
                }
                continue;
            }
            Matcher nm = options.detectNames() || !options.cast().isEmpty() ? NAME_LINE.matcher(line) : null;
            if (nm != null && nm.matches() && (options.detectNames() || options.cast().containsKey(nm.group(1)))) {
                cur = endTurn(turns, cur, curSpeaker);
                String name = nm.group(1);
                Integer slot = options.cast().get(name);
                if (slot == null) slot = cast.get(name);
                if (slot == null) {
                    slot = 0;
                    while (taken.contains(slot)) slot++;
                    taken.add(slot);
                }
                cast.put(name, slot);
                curSpeaker = slot;
                line = nm.group(2);
            }
            Matcher t = TAG.matcher(line);
            int at = 0;
            while (t.find()) {
                cur = append(cur, line.substring(at, t.start()));
                cur = endTurn(turns, cur, curSpeaker);
                curSpeaker = slotNumber(t.group(1));
                cast.put("SPEAKER" + curSpeaker, curSpeaker);
                cur = new StringBuilder();
                at = t.end();
            }
            cur = append(cur, line.substring(at));
        }
        cur = endTurn(turns, cur, curSpeaker);
        if (!turns.isEmpty()) paragraphs.add(new Paragraph(List.copyOf(turns)));
        if (!paragraphs.isEmpty() || !title.isEmpty()) chapters.add(new Chapter(title, List.copyOf(paragraphs)));
        return new Script(List.copyOf(chapters), Collections.unmodifiableMap(cast));
    }

    private static int slotNumber(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("speaker tag [SPEAKER" + digits + "]: the number is too large");
        }
    }

    private static StringBuilder append(StringBuilder cur, String piece) {
        String p = piece.strip();
        if (p.isEmpty()) return cur;
        if (cur == null) cur = new StringBuilder();
        if (!cur.isEmpty()) cur.append(' ');
        return cur.append(p);
    }

    /** Closes the turn being collected (if it has text); the speaker carries on to untagged lines of the same paragraph. */
    private static StringBuilder endTurn(List<Turn> turns, StringBuilder cur, int speaker) {
        if (cur != null && !cur.isEmpty()) turns.add(new Turn(speaker, cur.toString()));
        return null;
    }

    /** Slots in use, in order. */
    public List<Integer> speakerSlots() {
        TreeSet<Integer> s = new TreeSet<>();
        for (Chapter c : chapters) for (Paragraph p : c.paragraphs()) for (Turn t : p.turns()) if (t.speaker() >= 0) s.add(t.speaker());
        return List.copyOf(s);
    }

    /**
     * The script cut into generation chunks (see {@link ScriptOptions}), normalized by {@link TextNormalizer} as one
     * transcript: every turn's text, and a final period only at the script's end.
     */
    public List<Chunk> chunks(ScriptOptions options) {
        boolean multi = speakerSlots().size() > 1 || (!speakerSlots().isEmpty() && options.narratorSlot() >= 0 && !speakerSlots().contains(options.narratorSlot()));
        List<Chunk> out = new ArrayList<>();
        for (int c = 0; c < chapters.size(); c++) {
            List<Paragraph> ps = chapters.get(c).paragraphs();
            for (int p = 0; p < ps.size(); p++) {
                List<String> pending = new ArrayList<>();   // tagged turn texts of a paragraph chunk
                int pendingWords = 0, pendingSpeaker = Integer.MIN_VALUE;
                for (Turn t : ps.get(p).turns()) {
                    int slot = t.speaker() >= 0 ? t.speaker() : options.narratorSlot();
                    String tag = multi && slot >= 0 ? "[SPEAKER" + slot + "] " : "";
                    // Normalized as part of the transcript, then cut: neither a cut inside a sentence nor a turn the
                    // author left without a period gains one (only the transcript's end does, below).
                    for (String piece : split(TextNormalizer.normalizeBody(t.text()), options.maxWords())) {
                        String text = tag + piece;
                        int words = words(piece);
                        if (options.chunkMode() == ScriptOptions.ChunkMode.TURN) {
                            out.add(new Chunk(c, p, slot, text));
                            continue;
                        }
                        if (!pending.isEmpty() && pendingWords + words > options.maxWords()) {
                            out.add(new Chunk(c, p, pendingSpeaker, String.join("\n", pending)));
                            pending.clear();
                            pendingWords = 0;
                            pendingSpeaker = Integer.MIN_VALUE;
                        }
                        pending.add(text);
                        pendingWords += words;
                        pendingSpeaker = pendingSpeaker == Integer.MIN_VALUE || pendingSpeaker == slot ? slot : -1;
                    }
                }
                if (!pending.isEmpty()) out.add(new Chunk(c, p, pendingSpeaker, String.join("\n", pending)));
            }
        }
        // The transcript's final-period rule, once (boson-ai/higgs-audio examples/generation.py L726–727).
        if (!out.isEmpty()) {
            Chunk last = out.getLast();
            out.set(out.size() - 1, new Chunk(last.chapter(), last.paragraph(), last.speaker(), TextNormalizer.withFinalPeriod(last.text())));
        }
        return out;
    }

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…。！？])[\"'”’)\\]]*\\s+|(?<=[。！？])");

    /** Cuts text into pieces of at most {@code maxWords} words: at sentence ends, else at word boundaries. */
    static List<String> split(String text, int maxWords) {
        List<String> out = new ArrayList<>();
        if (words(text) <= maxWords) {
            out.add(text);
            return out;
        }
        List<String> sentences = new ArrayList<>();
        Matcher m = SENTENCE_END.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.end() > at) {
                sentences.add(text.substring(at, m.end()).strip());
                at = m.end();
            }
        }
        if (at < text.length()) sentences.add(text.substring(at).strip());

        StringBuilder cur = new StringBuilder();
        int curWords = 0;
        for (String s : sentences) {
            if (s.isEmpty()) continue;
            int w = words(s);
            if (curWords > 0 && curWords + w > maxWords) {
                out.add(cur.toString());
                cur.setLength(0);
                curWords = 0;
            }
            if (w > maxWords) {
                for (String piece : splitWords(s, maxWords)) {
                    int pw = words(piece);
                    if (curWords > 0 && curWords + pw > maxWords) {
                        out.add(cur.toString());
                        cur.setLength(0);
                        curWords = 0;
                    }
                    appendPiece(cur, piece);
                    curWords += pw;
                }
                continue;
            }
            appendPiece(cur, s);
            curWords += w;
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    private static void appendPiece(StringBuilder cur, String piece) {
        if (!cur.isEmpty() && !isCjk(piece.codePointAt(0)) && !isCjk(cur.codePointBefore(cur.length()))) cur.append(' ');
        cur.append(piece);
    }

    /** Splits one long sentence into runs of at most {@code maxWords} words (a CJK character is a word). */
    private static List<String> splitWords(String s, int maxWords) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int count = 0;
        for (String token : wordTokens(s)) {
            if (count == maxWords) {
                out.add(cur.toString());
                cur.setLength(0);
                count = 0;
            }
            appendPiece(cur, token);
            count++;
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    /** Whitespace-separated words, with every CJK character a word of its own (punctuation stays with the word before). */
    private static List<String> wordTokens(String s) {
        List<String> out = new ArrayList<>();
        for (String w : TextNormalizer.pySplit(s)) {
            StringBuilder cur = new StringBuilder();
            int prev = -1;
            for (int i = 0; i < w.length(); ) {
                int cp = w.codePointAt(i);
                boolean startsWord = isCjk(cp) || (Character.isLetterOrDigit(cp) && prev >= 0 && isCjk(prev));
                if (startsWord && !cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                cur.appendCodePoint(cp);
                prev = cp;
                i += Character.charCount(cp);
            }
            if (!cur.isEmpty()) out.add(cur.toString());
        }
        return out;
    }

    /** Word count as chunking counts it: whitespace-separated words, a CJK character being one word. */
    static int words(String s) {
        return wordTokens(s).size();
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA;
    }
}
