package org.higgsnarrator.book;

import java.io.IOException;
import org.higgsnarrator.io.SecureXml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Word documents (Office Open XML, {@code .docx}) read with the JDK's ZIP and XML parsers (docs/dependencies.md says
 * why not Apache POI): paragraphs of the body in order (tables cell by cell), headings from the paragraph style
 * ("heading N" by name, or the style's / paragraph's outline level), the "Title" style or the core properties as the
 * book title, the core properties' creator as the author. Deleted revisions, field codes, footnote and endnote
 * references, soft hyphens and the duplicate fallbacks of drawings and text boxes are not read.
 */
final class DocxReader {
    private static final Pattern HEADING_NAME = Pattern.compile("(?i)^heading\\s*([1-6])$");
    private final Path file;
    private final SafeZip zip;

    DocxReader(Path file, SafeZip zip) {
        this.file = file;
        this.zip = zip;
    }

    /** @param level heading level, 0 = body text, -1 = the document's title */
    private record Style(String name, int level) {}

    Book read() throws IOException {
        String main = "word/document.xml";
        org.w3c.dom.Document doc = SecureXml.parse(zip.read(main), file, main);
        Map<String, Style> styles = styles();
        String title = "", author = "";
        byte[] core = zip.read("docProps/core.xml");
        if (core != null) {
            org.w3c.dom.Document c = SecureXml.parse(core, file, "docProps/core.xml");
            title = SecureXml.text(SecureXml.first(c, "title"));
            author = SecureXml.text(SecureXml.first(c, "creator"));
        }
        Element body = SecureXml.first(doc, "body");
        if (body == null) throw new BookFormatException(file, "the DOCX has no document body (damaged); open and re-save it in a word processor");
        List<Sections.Block> blocks = new ArrayList<>();
        String styledTitle = blocks(body, styles, blocks);
        if (title.isEmpty()) title = styledTitle;
        if (blocks.stream().noneMatch(b -> NarrationText.speakable(b.text()))) {
            throw new BookFormatException(file, "the document has no text to narrate (empty, or only images)");
        }
        Sections.Result r = Sections.split(blocks, title.isEmpty() ? EpubReader.baseName(file) : title);
        List<String> notes = new ArrayList<>();
        if (blocks.stream().noneMatch(b -> b.level() > 0)) notes.add("no headings (Heading 1, Heading 2… styles): the document is one chapter");
        return new Book(title.isEmpty() ? r.title() : title, author, "", null, r.chapters(), notes);
    }

    /** Collects the body's paragraphs; returns the text of a "Title"-styled paragraph ("" when none). */
    private String blocks(Element container, Map<String, Style> styles, List<Sections.Block> out) {
        String title = "";
        for (Node n = container.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) continue;
            switch (e.getLocalName()) {
                case "p" -> {
                    String text = paragraphText(e).strip();
                    if (text.isEmpty()) continue;
                    int level = level(e, styles);
                    if (level < 0) {
                        if (title.isEmpty()) title = text.replace('\n', ' ');
                        continue;
                    }
                    out.add(new Sections.Block(level, level > 0 ? text.replace('\n', ' ') : text));
                }
                case "tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins" -> {
                    String t = blocks(e, styles, out);
                    if (title.isEmpty()) title = t;
                }
                default -> { }
            }
        }
        return title;
    }

    private static int level(Element p, Map<String, Style> styles) {
        Element ppr = SecureXml.children(p, "pPr").stream().findFirst().orElse(null);
        if (ppr == null) return 0;
        Element ps = SecureXml.children(ppr, "pStyle").stream().findFirst().orElse(null);
        Element ol = SecureXml.children(ppr, "outlineLvl").stream().findFirst().orElse(null);
        if (ps != null) {
            String id = attr(ps, "val");
            Style s = styles.get(id);
            if (s != null && s.level() != 0) return s.level();
            Matcher m = Pattern.compile("(?i)^heading\\s*([1-6])$").matcher(id);
            if (m.matches()) return Integer.parseInt(m.group(1));
            if (id.equalsIgnoreCase("title")) return -1;
        }
        if (ol != null) return outline(attr(ol, "val"));
        return 0;
    }

    private static int outline(String v) {
        try {
            int l = Integer.parseInt(v);
            return l >= 0 && l <= 5 ? l + 1 : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Map<String, Style> styles() throws IOException {
        Map<String, Style> out = new HashMap<>();
        byte[] xml = zip.read("word/styles.xml");
        if (xml == null) return out;
        org.w3c.dom.Document d = SecureXml.parse(xml, file, "word/styles.xml");
        Map<String, String> basedOn = new HashMap<>();
        for (Element s : SecureXml.all(d, "style")) {
            String id = attr(s, "styleId");
            Element name = SecureXml.children(s, "name").stream().findFirst().orElse(null);
            String n = name == null ? id : attr(name, "val");
            int level = 0;
            Matcher m = HEADING_NAME.matcher(n);
            if (m.matches()) level = Integer.parseInt(m.group(1));
            else if (n.equalsIgnoreCase("title")) level = -1;
            else {
                Element ppr = SecureXml.children(s, "pPr").stream().findFirst().orElse(null);
                Element ol = ppr == null ? null : SecureXml.children(ppr, "outlineLvl").stream().findFirst().orElse(null);
                if (ol != null) level = outline(attr(ol, "val"));
            }
            out.put(id, new Style(n, level));
            Element b = SecureXml.children(s, "basedOn").stream().findFirst().orElse(null);
            if (b != null) basedOn.put(id, attr(b, "val"));
        }
        // A custom style based on a heading is a heading of that level.
        for (var e : basedOn.entrySet()) {
            Style s = out.get(e.getKey());
            if (s == null || s.level() != 0) continue;
            String parent = e.getValue();
            for (int hops = 0; parent != null && hops < 10; hops++) {
                Style p = out.get(parent);
                if (p != null && p.level() != 0) {
                    out.put(e.getKey(), new Style(s.name(), p.level()));
                    break;
                }
                parent = basedOn.get(parent);
            }
        }
        return out;
    }

    /** The words of a paragraph, as a reader sees them. */
    private static String paragraphText(Element p) {
        StringBuilder sb = new StringBuilder();
        collect(p, sb);
        return sb.toString();
    }

    private static void collect(Element e, StringBuilder sb) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element c)) continue;
            switch (c.getLocalName()) {
                case "t" -> sb.append(c.getTextContent());
                case "tab", "ptab" -> sb.append(' ');
                case "br" -> sb.append("page".equals(attr(c, "type")) ? " " : "\n");
                case "cr" -> sb.append('\n');
                case "noBreakHyphen" -> sb.append('-');
                case "softHyphen", "delText", "del", "instrText", "footnoteReference", "endnoteReference", "commentReference",
                     "drawing", "pict", "object", "AlternateContent", "pPr", "rPr", "fldData" -> { }
                default -> collect(c, sb); // runs, hyperlinks, insertions, smart tags, simple fields (their result)
            }
        }
    }

    /** A WordprocessingML attribute (w:val…), whatever the prefix. */
    private static String attr(Element e, String local) {
        String v = e.getAttributeNS("http://schemas.openxmlformats.org/wordprocessingml/2006/main", local);
        if (v == null || v.isEmpty()) v = e.getAttribute("w:" + local);
        return v == null ? "" : v;
    }

    static boolean lower(String s) {
        return s.equals(s.toLowerCase(Locale.ROOT));
    }
}
