package org.higgsnarrator.book;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * The narratable text of an (X)HTML content document, paragraph by paragraph: footnote references and bodies,
 * page-break markers, ruby annotations, scripts and styles are removed first (EPUB 3 structural semantics
 * {@code epub:type} and the DPUB-ARIA {@code role}s, plus the usual {@code <sup>} and "[12]" link conventions);
 * each block element (paragraph, heading, list item…) becomes one paragraph, {@code <br>} a line break in it.
 * Optionally the document is cut at given element ids (several chapters in one file).
 */
final class HtmlText {
    private HtmlText() {}

    /** @param anchor the id this section starts at ("" for the document start); @param heading its first heading */
    record Section(String anchor, String heading, List<String> paragraphs) {}

    private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote",
            "pre", "section", "article", "aside", "header", "footer", "nav", "dt", "dd", "tr", "table", "ul", "ol", "dl",
            "figure", "figcaption", "hr", "body", "main", "address", "center", "caption", "hgroup", "details", "summary");
    private static final Pattern MARKER_TEXT = Pattern.compile("^\\s*[\\[(]?\\s*(?:\\d{1,3}|[*†‡§¶]{1,3}|[ivx]{1,4})\\s*[\\])]?\\s*$");

    /** Removes what is not read aloud. */
    static void strip(Document doc) {
        doc.select("script, style, head, rt, rp, noscript, svg, math").remove();
        doc.select("[epub:type~=(?i)\\b(noteref|pagebreak)\\b], [role~=(?i)doc-(noteref|pagebreak)]").remove();
        doc.select("[epub:type~=(?i)\\b(footnotes?|endnotes?|rearnotes?)\\b], [role~=(?i)doc-(footnotes?|endnotes?)]").remove();
        for (Element sup : doc.select("sup")) if (MARKER_TEXT.matcher(sup.text()).matches()) sup.remove();
        // Links to a note inside the book whose text is only a marker: "[12]", "12", "*".
        for (Element a : doc.select("a[href]")) if (a.attr("href").contains("#") && MARKER_TEXT.matcher(a.text()).matches() && !a.text().isBlank()) a.remove();
    }

    /** Paragraphs of the document, cut into sections at the given ids (in document order). */
    static List<Section> sections(Document doc, Set<String> anchors) {
        strip(doc);
        List<Section> out = new ArrayList<>();
        StringBuilder para = new StringBuilder();
        String[] anchor = {""};
        String[] heading = {null};
        List<String>[] paras = new List[] {new ArrayList<String>()};
        Runnable flush = () -> {
            String p = NarrationText.paragraph(para.toString());
            para.setLength(0);
            if (NarrationText.speakable(p)) paras[0].add(p);
        };
        doc.body().traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    para.append(t.getWholeText().replaceAll("[\\r\\n\\t]+", " "));
                } else if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (!e.id().isEmpty() && anchors.contains(e.id()) && !(anchor[0].equals(e.id()))) {
                        flush.run();
                        if (!paras[0].isEmpty() || !anchor[0].isEmpty()) out.add(new Section(anchor[0], heading[0], paras[0]));
                        anchor[0] = e.id();
                        heading[0] = null;
                        paras[0] = new ArrayList<>();
                    }
                    if (tag.equals("br")) para.append('\n');
                    else if (tag.equals("td") || tag.equals("th")) para.append(' ');
                    else if (BLOCKS.contains(tag)) flush.run();
                    if (heading[0] == null && tag.matches("h[1-6]") && NarrationText.speakable(e.text())) heading[0] = NarrationText.paragraph(e.text()).replace('\n', ' ');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && BLOCKS.contains(e.normalName())) flush.run();
            }
        });
        flush.run();
        if (!paras[0].isEmpty() || !anchor[0].isEmpty() || out.isEmpty()) out.add(new Section(anchor[0], heading[0], paras[0]));
        return out;
    }

    /** The {@code epub:type} tokens of the body and its first element child, lower case. */
    static Set<String> types(Document doc) {
        Set<String> t = new java.util.HashSet<>();
        Element body = doc.body();
        addTypes(t, body);
        for (Element c : body.children()) {
            addTypes(t, c);
            if (c.normalName().equals("div") && c.children().size() == 1) addTypes(t, c.child(0));
            break;
        }
        return t;
    }

    private static void addTypes(Set<String> t, Element e) {
        for (String a : List.of("epub:type", "role")) {
            for (String s : e.attr(a).toLowerCase(java.util.Locale.ROOT).split("\\s+")) if (!s.isEmpty()) t.add(s.replace("doc-", ""));
        }
    }

    /** Maps structural-semantics types to front/body/back; null when none of them says. */
    static Book.Matter matterOf(Set<String> types) {
        for (String s : types) {
            Book.Matter m = MATTER.get(s);
            if (m != null) return m;
        }
        return null;
    }

    static final Map<String, Book.Matter> MATTER = Map.ofEntries(
            Map.entry("frontmatter", Book.Matter.FRONT), Map.entry("cover", Book.Matter.FRONT), Map.entry("titlepage", Book.Matter.FRONT),
            Map.entry("halftitlepage", Book.Matter.FRONT), Map.entry("title-page", Book.Matter.FRONT), Map.entry("copyright-page", Book.Matter.FRONT),
            Map.entry("toc", Book.Matter.FRONT), Map.entry("dedication", Book.Matter.FRONT), Map.entry("epigraph", Book.Matter.FRONT),
            Map.entry("foreword", Book.Matter.FRONT), Map.entry("preface", Book.Matter.FRONT), Map.entry("imprimatur", Book.Matter.FRONT),
            Map.entry("loi", Book.Matter.FRONT), Map.entry("lot", Book.Matter.FRONT), Map.entry("seriespage", Book.Matter.FRONT),
            Map.entry("bodymatter", Book.Matter.BODY), Map.entry("chapter", Book.Matter.BODY), Map.entry("prologue", Book.Matter.BODY),
            Map.entry("epilogue", Book.Matter.BODY), Map.entry("part", Book.Matter.BODY), Map.entry("text", Book.Matter.BODY),
            Map.entry("introduction", Book.Matter.BODY), Map.entry("conclusion", Book.Matter.BODY),
            Map.entry("backmatter", Book.Matter.BACK), Map.entry("afterword", Book.Matter.BACK), Map.entry("appendix", Book.Matter.BACK),
            Map.entry("acknowledgments", Book.Matter.BACK), Map.entry("acknowledgements", Book.Matter.BACK), Map.entry("index", Book.Matter.BACK),
            Map.entry("glossary", Book.Matter.BACK), Map.entry("bibliography", Book.Matter.BACK), Map.entry("colophon", Book.Matter.BACK),
            Map.entry("endnotes", Book.Matter.BACK), Map.entry("rearnotes", Book.Matter.BACK), Map.entry("notes", Book.Matter.BACK),
            Map.entry("contributors", Book.Matter.BACK), Map.entry("other-credits", Book.Matter.BACK), Map.entry("errata", Book.Matter.BACK));
}
