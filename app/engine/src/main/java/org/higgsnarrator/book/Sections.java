package org.higgsnarrator.book;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a flat run of headings and paragraphs (DOCX, Markdown, plain text) into chapters: the chapter level is the
 * highest heading level that occurs more than once (a single top heading before it is the book's title), deeper
 * headings stay in the text as spoken paragraphs, and text before the first chapter heading becomes front matter
 * (or the first chapter when it is long enough to be one).
 */
final class Sections {
    /** @param level heading level 1–6, or 0 for a paragraph */
    record Block(int level, String text) {}

    record Result(String title, List<Book.Chapter> chapters) {}

    private static final Pattern FRONT = Pattern.compile("(?i)^(contents|table of contents|copyright.*|dedication|title page|foreword|preface|introduction|epigraph|also by.*|praise for.*)$");
    private static final Pattern BACK = Pattern.compile("(?i)^(acknowledg(e)?ments?|afterword|appendix.*|notes|endnotes|footnotes|index|glossary|bibliography|about the author.*|colophon|also by.*)$");

    private Sections() {}

    static Result split(List<Block> blocks, String fallbackTitle) {
        int[] count = new int[7];
        for (Block b : blocks) if (b.level() > 0) count[b.level()]++;
        int top = 0;
        for (int l = 1; l <= 6; l++) if (count[l] > 0) { top = l; break; }
        String title = "";
        int chapterLevel = top;
        List<Block> rest = blocks;
        if (top > 0 && count[top] == 1) {
            // One top heading: the book's title when deeper headings follow it (else it is the only chapter).
            int next = 0;
            for (int l = top + 1; l <= 6; l++) if (count[l] > 0) { next = l; break; }
            if (next > 0) {
                int at = indexOfLevel(blocks, top);
                title = blocks.get(at).text();
                chapterLevel = next;
                rest = new ArrayList<>(blocks);
                rest.remove(at);
            }
        }
        List<Book.Chapter> chapters = new ArrayList<>();
        String curTitle = null;
        List<String> paras = new ArrayList<>();
        boolean headings = chapterLevel > 0;
        for (Block b : rest) {
            if (headings && b.level() > 0 && b.level() <= chapterLevel) {
                add(chapters, curTitle, paras, headings);
                curTitle = b.text();
                paras = new ArrayList<>();
                paras.add(b.text()); // the heading is read out, as a narrator reads "Chapter One"
            } else {
                paras.add(b.text());
            }
        }
        add(chapters, curTitle, paras, headings);
        if (title.isEmpty()) title = fallbackTitle;
        return new Result(title, chapters);
    }

    private static int indexOfLevel(List<Block> blocks, int level) {
        for (int i = 0; i < blocks.size(); i++) if (blocks.get(i).level() == level) return i;
        return -1;
    }

    private static void add(List<Book.Chapter> out, String title, List<String> paragraphs, boolean headings) {
        List<String> keep = paragraphs.stream().map(NarrationText::paragraph).filter(NarrationText::speakable).toList();
        if (keep.isEmpty()) return;
        if (title == null) {
            // Text before the first heading: a preamble (front matter) unless the document has no headings at all.
            int words = keep.stream().mapToInt(p -> p.split("\\s+").length).sum();
            if (!headings) out.add(new Book.Chapter("Chapter " + (out.size() + 1), keep, Book.Matter.BODY, "text without headings"));
            else out.add(new Book.Chapter("Opening", keep, words >= 300 ? Book.Matter.BODY : Book.Matter.FRONT, "text before the first heading"));
            return;
        }
        out.add(new Book.Chapter(title, keep, matterOf(title), "heading '" + title + "'"));
    }

    /** Front or back matter recognised by its title ("Contents", "Acknowledgements"…); everything else is body. */
    static Book.Matter matterOf(String title) {
        String t = title.strip().replaceAll("[.:]+$", "").toLowerCase(Locale.ROOT);
        if (FRONT.matcher(t).matches()) return Book.Matter.FRONT;
        if (BACK.matcher(t).matches()) return Book.Matter.BACK;
        return Book.Matter.BODY;
    }
}
