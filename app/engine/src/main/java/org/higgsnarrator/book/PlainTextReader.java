package org.higgsnarrator.book;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Plain text: paragraphs are separated by blank lines. Chapters start at heading lines — a paragraph of one short
 * line such as "Chapter 12", "CHAPTER XII. The Storm", "Part Two", "Prologue", "Epilogue" — or, in a text without
 * such headings, at rule lines ({@code * * *}, {@code ----}, {@code ====}) or runs of three or more blank lines.
 * Words hyphenated at line ends are joined and lines that are only page numbers dropped ({@link NarrationText#running}).
 */
final class PlainTextReader {
    private static final Pattern HEADING = Pattern.compile("(?i)^(?:chapter|part|book|volume|prologue|epilogue|interlude|preface|foreword|afterword|introduction|appendix|acknowledge?ments?)\\b.{0,70}$");
    private static final Pattern RULE = Pattern.compile("^[ \\t]*(?:[*\\-_=~#•·][ \\t]*){3,}$");

    private PlainTextReader() {}

    static Book read(String text, String fallbackTitle) {
        String t = NarrationText.running(text.replace("\r\n", "\n").replace('\r', '\n'));
        String[] paragraphs = t.split("\\n[ \\t]*\\n");
        boolean headings = false;
        for (String p : paragraphs) if (isHeading(p)) headings = true;
        List<Sections.Block> blocks = new ArrayList<>();
        if (headings) {
            for (String p : paragraphs) {
                if (p.isBlank()) continue;
                blocks.add(new Sections.Block(isHeading(p) ? 1 : 0, p.strip()));
            }
            return new Book(fallbackTitle, "", "", null, Sections.split(blocks, fallbackTitle).chapters(), List.of());
        }
        // No headings: rules or long blank runs separate chapters.
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String chunk : t.split("\\n(?:[ \\t]*\\n){3,}")) {
            for (String line : chunk.split("\\n", -1)) {
                if (RULE.matcher(line).matches()) {
                    parts.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(line).append('\n');
                }
            }
            parts.add(cur.toString());
            cur.setLength(0);
        }
        int n = 0;
        for (String part : parts) {
            List<Sections.Block> ps = new ArrayList<>();
            for (String p : part.split("\\n[ \\t]*\\n")) if (!p.isBlank()) ps.add(new Sections.Block(0, p.strip()));
            if (ps.stream().noneMatch(b -> NarrationText.speakable(b.text()))) continue;
            blocks.add(new Sections.Block(1, "Chapter " + (++n)));
            blocks.addAll(ps);
        }
        List<Book.Chapter> chapters = new ArrayList<>();
        for (Book.Chapter c : Sections.split(blocks, fallbackTitle).chapters()) {
            // "Chapter N" is a made-up title: it names the chapter in the list but is not read out.
            chapters.add(new Book.Chapter(c.title(), c.paragraphs().subList(1, c.paragraphs().size()), Book.Matter.BODY, "text part " + (chapters.size() + 1)));
        }
        return new Book(fallbackTitle, "", "", null, chapters, n > 1 ? List.of() : List.of("no chapter headings ('Chapter 1', 'Part Two'…) or separators: the text is one chapter"));
    }

    private static boolean isHeading(String paragraph) {
        String p = paragraph.strip();
        return !p.contains("\n") && p.length() <= 80 && HEADING.matcher(p).matches();
    }
}
