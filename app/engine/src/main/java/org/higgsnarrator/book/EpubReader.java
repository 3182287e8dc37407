package org.higgsnarrator.book;

import java.io.IOException;
import org.higgsnarrator.io.SecureXml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.w3c.dom.Element;

/**
 * EPUB 2 and 3 (OCF container → OPF package → spine). Chapters follow the spine (non-linear items skipped); titles
 * come from the EPUB 3 navigation document's {@code toc} or the EPUB 2 NCX, else the first heading. A document the
 * table of contents does not name continues the chapter before it (split files); one document that the table of
 * contents enters at several anchors is cut into several chapters. Front and back matter are recognised from the
 * landmarks / guide, the documents' {@code epub:type}s and their titles. The package metadata gives title, author(s),
 * language and cover. DRM (Adobe {@code rights.xml}, Apple {@code sinf.xml}, or encrypted content documents in
 * {@code encryption.xml}) is refused with a message; font obfuscation is not DRM and is ignored.
 */
final class EpubReader {
    private final Path file;
    private final SafeZip zip;
    private final List<String> notes = new ArrayList<>();

    EpubReader(Path file, SafeZip zip) {
        this.file = file;
        this.zip = zip;
    }

    private record Item(String id, String path, String mediaType, Set<String> properties) {}

    private record TocEntry(String path, String fragment, String title, int depth) {}

    Book read() throws IOException {
        refuseDrm();
        String container = "META-INF/container.xml";
        if (!zip.has(container)) throw new BookFormatException(file, "an EPUB without " + container + " (damaged); re-save it with an e-book editor (Calibre, Sigil)");
        Element rootfile = SecureXml.first(SecureXml.parse(zip.read(container), file, container), "rootfile");
        String opfPath = rootfile == null ? null : SafeZip.resolve("", rootfile.getAttribute("full-path"));
        if (opfPath == null || !zip.has(opfPath)) throw new BookFormatException(file, container + " names no package document that exists in the archive (damaged EPUB)");
        org.w3c.dom.Document opf = SecureXml.parse(zip.read(opfPath), file, opfPath);

        Element metadata = SecureXml.first(opf, "metadata");
        String title = metadata == null ? "" : SecureXml.text(SecureXml.first(metadata, "title"));
        List<String> authors = new ArrayList<>();
        if (metadata != null) for (Element c : SecureXml.all(metadata, "creator")) if (!SecureXml.text(c).isEmpty()) authors.add(SecureXml.text(c));
        String language = metadata == null ? "" : SecureXml.text(SecureXml.first(metadata, "language"));

        Map<String, Item> manifest = new LinkedHashMap<>();
        Map<String, Item> byPath = new HashMap<>();
        for (Element e : SecureXml.all(opf, "item")) {
            String path = SafeZip.resolve(opfPath, e.getAttribute("href"));
            if (path == null) continue;
            Set<String> props = new LinkedHashSet<>(List.of(e.getAttribute("properties").toLowerCase(Locale.ROOT).split("\\s+")));
            Item it = new Item(e.getAttribute("id"), path, e.getAttribute("media-type").toLowerCase(Locale.ROOT), props);
            manifest.put(it.id(), it);
            byPath.put(path, it);
        }
        Element spineEl = SecureXml.first(opf, "spine");
        List<Item> spine = new ArrayList<>();
        if (spineEl != null) {
            for (Element ref : SecureXml.children(spineEl, "itemref")) {
                Item it = manifest.get(ref.getAttribute("idref"));
                if (it == null) continue;
                if ("no".equalsIgnoreCase(ref.getAttribute("linear"))) continue; // notes, pop-ups: not part of the reading order
                spine.add(it);
            }
        }
        if (spine.isEmpty()) throw new BookFormatException(file, "the EPUB has no reading order (its spine is empty); there is nothing to import");

        // Table of contents: EPUB 3 nav, else the EPUB 2 NCX.
        List<TocEntry> toc = new ArrayList<>();
        Map<String, Book.Matter> landmarks = new HashMap<>();
        String navPath = null;
        for (Item it : manifest.values()) if (it.properties().contains("nav")) navPath = it.path();
        if (navPath != null && zip.has(navPath)) readNav(navPath, toc, landmarks);
        if (toc.isEmpty() && spineEl != null) {
            Item ncx = manifest.get(spineEl.getAttribute("toc"));
            if (ncx == null) for (Item it : manifest.values()) if (it.mediaType().equals("application/x-dtbncx+xml")) ncx = it;
            if (ncx != null && zip.has(ncx.path())) readNcx(ncx.path(), toc);
        }
        for (Element ref : SecureXml.all(opf, "reference")) { // EPUB 2 guide
            String p = SafeZip.resolve(opfPath, ref.getAttribute("href"));
            Book.Matter m = guideMatter(ref.getAttribute("type"));
            if (p != null && m != null) landmarks.putIfAbsent(p, m);
        }
        if (toc.isEmpty()) notes.add("no table of contents (nav or NCX): chapter titles come from headings");

        Map<String, List<TocEntry>> tocByPath = new LinkedHashMap<>();
        for (TocEntry t : toc) tocByPath.computeIfAbsent(t.path(), k -> new ArrayList<>()).add(t);

        List<Book.Chapter> chapters = new ArrayList<>();
        boolean bodySeen = false;
        int skippedEmpty = 0;
        for (Item it : spine) {
            if (!it.mediaType().contains("html") && !it.mediaType().contains("xml")) continue;
            byte[] bytes = zip.read(it.path());
            if (bytes == null) {
                notes.add("the spine names " + it.path() + ", which is missing from the archive; skipped");
                continue;
            }
            Document doc = Jsoup.parse(new String(bytes, StandardCharsets.UTF_8), "");
            List<TocEntry> entries = tocByPath.getOrDefault(it.path(), List.of());
            Map<String, String> anchorTitles = new LinkedHashMap<>();
            for (TocEntry t : entries) if (!t.fragment().isEmpty()) anchorTitles.putIfAbsent(t.fragment(), t.title());
            // A single entry pointing into the file (at its first heading, usually) names the whole file.
            String fileTitle = null;
            for (TocEntry t : entries) if (t.fragment().isEmpty()) { fileTitle = t.title(); break; }
            if (fileTitle == null && anchorTitles.size() == 1) {
                fileTitle = anchorTitles.values().iterator().next();
                anchorTitles.clear();
            }
            Set<String> docTypes = HtmlText.types(doc);
            Book.Matter docMatter = it.properties().contains("nav") ? Book.Matter.FRONT : landmarks.getOrDefault(it.path(), HtmlText.matterOf(docTypes));
            List<HtmlText.Section> sections = HtmlText.sections(doc, anchorTitles.keySet());
            for (HtmlText.Section s : sections) {
                String secTitle = s.anchor().isEmpty() ? fileTitle : anchorTitles.get(s.anchor());
                if (s.paragraphs().isEmpty()) {
                    skippedEmpty++;
                    continue;
                }
                boolean continues = secTitle == null && !toc.isEmpty() && !chapters.isEmpty() && s.heading() == null && docMatter == null;
                if (continues) {
                    Book.Chapter prev = chapters.removeLast();
                    List<String> all = new ArrayList<>(prev.paragraphs());
                    all.addAll(s.paragraphs());
                    chapters.add(new Book.Chapter(prev.title(), all, prev.matter(), prev.source()));
                    continue;
                }
                String t = secTitle != null ? secTitle : s.heading() != null ? s.heading() : typeTitle(docTypes, "Chapter " + (chapters.size() + 1));
                Book.Matter m = docMatter != null ? docMatter : Sections.matterOf(t) != Book.Matter.BODY ? Sections.matterOf(t) : guessByName(it.path());
                if (m == null) m = bodySeen ? Book.Matter.BODY : (s.paragraphs().stream().mapToInt(p -> p.split("\\s+").length).sum() < 60 ? Book.Matter.FRONT : Book.Matter.BODY);
                if (m == Book.Matter.BODY) bodySeen = true;
                chapters.add(new Book.Chapter(t, s.paragraphs(), m, it.path() + (s.anchor().isEmpty() ? "" : "#" + s.anchor())));
            }
        }
        final String nav = navPath;
        if (chapters.stream().allMatch(c -> c.source().equals(nav))) {
            throw new BookFormatException(file, "the EPUB has no text to narrate (" + spine.size() + " document(s) in its reading order, all empty or"
                    + " images only). A scanned book needs OCR first; then import the text");
        }
        if (skippedEmpty > 0) notes.add(skippedEmpty + " document(s) without text (cover image, illustrations) skipped");
        if (title.isEmpty()) title = baseName(file);
        return new Book(title, String.join(", ", authors), language, cover(opf, opfPath, manifest, byPath), chapters, notes);
    }

    private void refuseDrm() throws IOException {
        String drm = "is protected by DRM (%s), so its text cannot be read. Import a DRM-free edition of the book (many stores and"
                + " publishers sell them; the store's own app cannot export audio), or a DOCX/Markdown/text file you have the rights to";
        if (zip.has("META-INF/rights.xml")) throw new BookFormatException(file, "the EPUB " + drm.formatted("Adobe ADEPT: META-INF/rights.xml"));
        if (zip.has("META-INF/sinf.xml")) throw new BookFormatException(file, "the EPUB " + drm.formatted("Apple FairPlay: META-INF/sinf.xml"));
        byte[] enc = zip.read("META-INF/encryption.xml");
        if (enc == null) return;
        org.w3c.dom.Document d = SecureXml.parse(enc, file, "META-INF/encryption.xml");
        int encrypted = 0;
        for (Element data : SecureXml.all(d, "EncryptedData")) {
            Element method = SecureXml.first(data, "EncryptionMethod");
            String alg = method == null ? "" : method.getAttribute("Algorithm");
            // Font obfuscation (IDPF, Adobe) only scrambles embedded fonts: the text stays readable.
            if (alg.equals("http://www.idpf.org/2008/embedding") || alg.equals("http://ns.adobe.com/pdf/enc#RC")) continue;
            encrypted++;
        }
        if (encrypted > 0) throw new BookFormatException(file, "the EPUB " + drm.formatted("META-INF/encryption.xml encrypts " + encrypted + " file(s)"));
    }

    private void readNav(String navPath, List<TocEntry> toc, Map<String, Book.Matter> landmarks) throws IOException {
        Document nav = Jsoup.parse(new String(zip.read(navPath), StandardCharsets.UTF_8), "");
        for (org.jsoup.nodes.Element n : nav.select("nav")) {
            String type = n.attr("epub:type").toLowerCase(Locale.ROOT) + " " + n.attr("role").toLowerCase(Locale.ROOT);
            if (type.contains("toc") && toc.isEmpty()) {
                for (org.jsoup.nodes.Element a : n.select("li > a[href], li > span")) {
                    if (!a.normalName().equals("a")) continue;
                    add(toc, navPath, a.attr("href"), a.text(), a.parents().stream().filter(p -> p.normalName().equals("ol")).count());
                }
            } else if (type.contains("landmarks")) {
                for (org.jsoup.nodes.Element a : n.select("a[href]")) {
                    String p = SafeZip.resolve(navPath, a.attr("href"));
                    Book.Matter m = HtmlText.matterOf(Set.of(a.attr("epub:type").toLowerCase(Locale.ROOT).split("\\s+")));
                    if (p != null && m != null) landmarks.putIfAbsent(p, m);
                }
            }
        }
    }

    private void readNcx(String ncxPath, List<TocEntry> toc) throws IOException {
        org.w3c.dom.Document ncx = SecureXml.parse(zip.read(ncxPath), file, ncxPath);
        for (Element np : SecureXml.all(ncx, "navPoint")) {
            Element label = SecureXml.first(np, "text");
            Element content = null;
            for (Element c : SecureXml.children(np, "content")) content = c;
            if (content == null) continue;
            int depth = 0;
            for (org.w3c.dom.Node p = np.getParentNode(); p instanceof Element pe && "navPoint".equals(pe.getLocalName()); p = p.getParentNode()) depth++;
            add(toc, ncxPath, content.getAttribute("src"), SecureXml.text(label), depth);
        }
    }

    private static void add(List<TocEntry> toc, String base, String href, String title, long depth) {
        String path = SafeZip.resolve(base, href);
        if (path == null || title == null || title.isBlank()) return;
        int hash = href.indexOf('#');
        toc.add(new TocEntry(path, hash < 0 ? "" : href.substring(hash + 1), NarrationText.paragraph(title).replace('\n', ' '), (int) depth));
    }

    /** "Cover", "Title page"… for a document that has only its structural type to name it. */
    private static String typeTitle(Set<String> types, String fallback) {
        for (String t : List.of("cover", "titlepage", "halftitlepage", "copyright-page", "dedication", "epigraph", "toc", "colophon")) {
            if (types.contains(t)) {
                String s = t.replace("-", " ").replace("page", " page").replace("  ", " ").strip();
                return Character.toUpperCase(s.charAt(0)) + s.substring(1);
            }
        }
        return fallback;
    }

    private static Book.Matter guideMatter(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "cover", "title-page", "toc", "copyright-page", "dedication", "epigraph", "foreword", "preface", "loi", "lot" -> Book.Matter.FRONT;
            case "text", "bodymatter" -> null; // "start reading here": not a statement about the document's own matter
            case "acknowledgements", "acknowledgments", "colophon", "index", "glossary", "bibliography", "notes", "appendix" -> Book.Matter.BACK;
            default -> null;
        };
    }

    private static Book.Matter guessByName(String path) {
        String n = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (n.matches("(cover|title|titlepage|copyright|toc|contents|dedication|halftitle|frontmatter).*")) return Book.Matter.FRONT;
        if (n.matches("(acknowledg|about|colophon|index|backmatter|appendix|endnotes|footnotes).*")) return Book.Matter.BACK;
        return null;
    }

    private Book.Cover cover(org.w3c.dom.Document opf, String opfPath, Map<String, Item> manifest, Map<String, Item> byPath) throws IOException {
        Item img = null;
        for (Item it : manifest.values()) if (it.properties().contains("cover-image")) img = it;
        if (img == null) {
            for (Element m : SecureXml.all(opf, "meta")) {
                if ("cover".equalsIgnoreCase(m.getAttribute("name"))) img = manifest.get(m.getAttribute("content"));
            }
        }
        if (img == null) {
            for (Item it : manifest.values()) {
                if (it.mediaType().startsWith("image/") && (it.id().toLowerCase(Locale.ROOT).contains("cover") || it.path().toLowerCase(Locale.ROOT).contains("cover"))) {
                    img = it;
                    break;
                }
            }
        }
        if (img == null || !img.mediaType().startsWith("image/")) return null;
        byte[] data = zip.read(img.path());
        return data == null ? null : new Book.Cover(img.mediaType(), data);
    }

    static String baseName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
