package org.higgsnarrator.book;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Markdown (CommonMark, parsed by commonmark-java): headings make chapters (see {@link Sections}); paragraphs, list
 * items and quotes are read as text with the markup gone (emphasis, links' targets, images, HTML, code fences are not
 * spoken). A YAML front-matter block or a Pandoc title block gives title and author. Without headings, thematic
 * breaks ({@code ***}, {@code ---}) separate chapters. Footnote markers ({@code [^1]}) and definitions are dropped.
 */
final class MarkdownReader {
    private static final Pattern YAML = Pattern.compile("\\A---[ \\t]*\\r?\\n(.*?)\\r?\\n(?:---|\\.\\.\\.)[ \\t]*\\r?\\n", Pattern.DOTALL);
    private static final Pattern PANDOC = Pattern.compile("\\A%[ \\t]*(.*)\\r?\\n(?:%[ \\t]*(.*)\\r?\\n)?");
    private static final Pattern NOTE_DEFINITION = Pattern.compile("(?m)^\\[\\^[^\\]]+]:.*(?:\\r?\\n(?:[ \\t]{2,}|\\t).*)*");

    private MarkdownReader() {}

    static Book read(String text, String fallbackTitle) {
        String title = "", author = "";
        Matcher y = YAML.matcher(text);
        if (y.find()) {
            for (String line : y.group(1).split("\\r?\\n")) {
                int c = line.indexOf(':');
                if (c <= 0) continue;
                String k = line.substring(0, c).strip().toLowerCase(java.util.Locale.ROOT), v = unquote(line.substring(c + 1).strip());
                if (k.equals("title")) title = v;
                if (k.equals("author")) author = v;
            }
            text = text.substring(y.end());
        } else {
            Matcher p = PANDOC.matcher(text);
            if (p.find()) {
                title = p.group(1).strip();
                author = p.group(2) == null ? "" : p.group(2).strip();
                text = text.substring(p.end());
            }
        }
        text = NOTE_DEFINITION.matcher(NarrationText.running(text)).replaceAll("");
        Node doc = Parser.builder().build().parse(text);
        List<Sections.Block> blocks = new ArrayList<>();
        boolean headings = false;
        for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) if (n instanceof Heading) headings = true;
        int part = 0;
        for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof ThematicBreak && !headings) {
                blocks.add(new Sections.Block(1, "Chapter " + (++part + 1)));
                continue;
            }
            collect(n, blocks);
        }
        if (!headings && part > 0) blocks.addFirst(new Sections.Block(1, "Chapter 1"));
        Sections.Result r = Sections.split(blocks, title.isEmpty() ? fallbackTitle : title);
        List<Sections.Block> spoken = blocks;
        if (!headings && part > 0) {
            // Synthetic titles are for the chapter list only: drop the "Chapter N" line from the spoken text.
            List<Book.Chapter> cs = new ArrayList<>();
            for (Book.Chapter c : r.chapters()) {
                if (c.paragraphs().size() > 1) cs.add(new Book.Chapter("Chapter " + (cs.size() + 1), c.paragraphs().subList(1, c.paragraphs().size()), Book.Matter.BODY, "between thematic breaks"));
            }
            r = new Sections.Result(r.title(), cs);
        }
        return new Book(title.isEmpty() ? r.title() : title, author, "", null, r.chapters(), List.of());
    }

    private static void collect(Node n, List<Sections.Block> out) {
        switch (n) {
            case Heading h -> out.add(new Sections.Block(h.getLevel(), inline(h).replace('\n', ' ')));
            case Paragraph p -> out.add(new Sections.Block(0, inline(p)));
            case FencedCodeBlock c -> { }
            case IndentedCodeBlock c -> { }
            case HtmlBlock c -> { }
            case ThematicBreak t -> { }
            default -> {
                for (Node c = n.getFirstChild(); c != null; c = c.getNext()) collect(c, out); // lists, quotes
            }
        }
    }

    private static String inline(Node block) {
        StringBuilder sb = new StringBuilder();
        block.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                sb.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                sb.append(code.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak b) {
                sb.append('\n');
            }

            @Override
            public void visit(HardLineBreak b) {
                sb.append('\n');
            }

            @Override
            public void visit(Image image) {
                // not read aloud
            }

            @Override
            public void visit(HtmlInline html) {
                // tags are not words
            }
        });
        return sb.toString();
    }

    private static String unquote(String v) {
        return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")) ? v.substring(1, v.length() - 1) : v;
    }
}
