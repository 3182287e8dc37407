package org.higgsnarrator.book;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BookReaderTest {
    @TempDir
    Path dir;

    private Book read(Path f) throws IOException {
        return new BookReader().read(f);
    }

    private String failure(Path f) {
        return assertThrows(IOException.class, () -> read(f)).getMessage();
    }

    @Test
    void epub3ChaptersTitlesMatterCoverAndCleanText() throws Exception {
        Book b = read(ZipWriter.epub3().write(dir.resolve("book.epub")));
        assertEquals("The Lighthouse Keeper", b.title());
        assertEquals("Ada Quill", b.author());
        assertEquals("en", b.language());
        assertEquals("image/png", b.cover().mediaType());
        assertArrayEquals(ZipWriter.PNG, b.cover().data());
        // nav titles for what the toc names, the structural type (or first heading) otherwise
        assertEquals(List.of("Cover", "Contents", "1. The Storm", "2. The Light", "3. Morning", "Acknowledgements"),
                b.chapters().stream().map(Book.Chapter::title).toList());
        List<Book.Chapter> body = b.narrated(false);
        assertEquals(List.of("1. The Storm", "2. The Light", "3. Morning"), body.stream().map(Book.Chapter::title).toList());
        assertEquals(List.of(Book.Matter.FRONT, Book.Matter.FRONT, Book.Matter.BODY, Book.Matter.BODY, Book.Matter.BODY, Book.Matter.BACK),
                b.chapters().stream().map(Book.Chapter::matter).toList());
        assertEquals(List.of("The Storm", "The wind rose at dusk.", "Waves struck the rocks."), body.get(0).paragraphs());
        // footnote marker and body gone, page number gone, soft hyphen joined, NBSP a space, the dialogue's quotes kept
        assertEquals(List.of("The Light", "“Is anyone there?” she called.", "No one answered the keeper’s call. Only the lamp turned."), body.get(1).paragraphs());
        assertEquals(6, b.narrated(true).size());
    }

    @Test
    void epub2WithNcxGuideAndSplitFiles() throws Exception {
        ZipWriter z = new ZipWriter().put("mimetype", "application/epub+zip").put("META-INF/container.xml", ZipWriter.CONTAINER);
        z.put("OEBPS/content.opf", """
                <?xml version="1.0"?>
                <package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
                <dc:title>Old Book</dc:title><dc:creator>A. One</dc:creator><dc:creator>B. Two</dc:creator><meta name="cover" content="img"/></metadata>
                <manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
                <item id="img" href="c.jpg" media-type="image/jpeg"/>
                <item id="t" href="title.html" media-type="application/xhtml+xml"/>
                <item id="a" href="a.html" media-type="application/xhtml+xml"/><item id="a2" href="a_split.html" media-type="application/xhtml+xml"/>
                <item id="n" href="notes.html" media-type="application/xhtml+xml"/>
                <item id="b" href="b.html" media-type="application/xhtml+xml"/></manifest>
                <spine toc="ncx"><itemref idref="t"/><itemref idref="a"/><itemref idref="a2"/><itemref idref="n" linear="no"/><itemref idref="b"/></spine>
                <guide><reference type="title-page" href="title.html" title="Title"/></guide></package>""");
        z.put("OEBPS/c.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        z.put("OEBPS/toc.ncx", """
                <?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
                <navPoint id="p1"><navLabel><text>Chapter One</text></navLabel><content src="a.html"/></navPoint>
                <navPoint id="p2"><navLabel><text>Chapter Two</text></navLabel><content src="b.html#start"/></navPoint>
                </navMap></ncx>""");
        z.put("OEBPS/title.html", "<html><body><h1>Old Book</h1><p>by A. One &amp; B. Two</p></body></html>");
        z.put("OEBPS/a.html", "<html><body><h2>Chapter One</h2><p>It began with a letter&nbsp;and a key.</p></body></html>");
        z.put("OEBPS/a_split.html", "<html><body><p>The key was old.</p></body></html>");
        z.put("OEBPS/notes.html", "<html><body><p>Note text.</p></body></html>");
        z.put("OEBPS/b.html", "<html><body><h2 id=\"start\">Chapter Two</h2><p>Then came the rain.</p></body></html>");
        Book b = read(z.write(dir.resolve("old.epub")));
        assertEquals("Old Book", b.title());
        assertEquals("A. One, B. Two", b.author());
        assertEquals("image/jpeg", b.cover().mediaType());
        assertEquals(List.of("Old Book", "Chapter One", "Chapter Two"), b.chapters().stream().map(Book.Chapter::title).toList());
        assertEquals(Book.Matter.FRONT, b.chapters().getFirst().matter());
        assertEquals(List.of("Chapter One", "It began with a letter and a key.", "The key was old."), b.chapters().get(1).paragraphs());
    }

    @Test
    void oneDocumentEnteredAtSeveralAnchorsIsCutIntoChapters() throws Exception {
        ZipWriter z = new ZipWriter().put("mimetype", "application/epub+zip").put("META-INF/container.xml", ZipWriter.CONTAINER);
        z.put("OEBPS/content.opf", """
                <package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>G</dc:title></metadata>
                <manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                <item id="all" href="all.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="all"/></spine></package>""");
        z.put("OEBPS/nav.xhtml", ZipWriter.xhtml("", "<nav epub:type=\"toc\"><ol><li><a href=\"all.xhtml#c1\">I</a></li><li><a href=\"all.xhtml#c2\">II</a></li></ol></nav>"));
        z.put("OEBPS/all.xhtml", ZipWriter.xhtml("", "<h2 id=\"c1\">I</h2><p>First part.</p><div id=\"c2\"><h2>II</h2><p>Second part.</p></div>"));
        Book b = read(z.write(dir.resolve("g.epub")));
        assertEquals(List.of("I", "II"), b.chapters().stream().map(Book.Chapter::title).toList());
        assertEquals(List.of("II", "Second part."), b.chapters().get(1).paragraphs());
    }

    @Test
    void drmProtectedEpubsAreRefusedButFontObfuscationIsNot() throws Exception {
        String adept = failure(ZipWriter.epub3().put("META-INF/rights.xml", "<rights/>").write(dir.resolve("adept.epub")));
        assertTrue(adept.contains("adept.epub") && adept.contains("DRM") && adept.contains("rights.xml") && adept.contains("DRM-free"), adept);
        String enc = """
                <encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
                <enc:EncryptedData><enc:EncryptionMethod Algorithm="%s"/>
                <enc:CipherData><enc:CipherReference URI="%s"/></enc:CipherData></enc:EncryptedData></encryption>""";
        String lcp = failure(ZipWriter.epub3().put("META-INF/encryption.xml", enc.formatted("http://www.w3.org/2001/04/xmlenc#aes256-cbc", "OEBPS/text/ch1.xhtml"))
                .write(dir.resolve("lcp.epub")));
        assertTrue(lcp.contains("DRM") && lcp.contains("encrypts 1 file"), lcp);
        Book fonts = read(ZipWriter.epub3().put("META-INF/encryption.xml", enc.formatted("http://www.idpf.org/2008/embedding", "OEBPS/font.otf"))
                .write(dir.resolve("fonts.epub")));
        assertEquals(3, fonts.narrated(false).size());
    }

    @Test
    void xxeAndDtdsAreRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP SECRET");
        ZipWriter z = ZipWriter.epub3();
        z.put("OEBPS/content.opf", """
                <?xml version="1.0"?><!DOCTYPE package [<!ENTITY x SYSTEM "%s">]>
                <package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&x;</dc:title></metadata>
                <manifest/><spine/></package>""".formatted(secret.toUri()));
        String m = failure(z.write(dir.resolve("xxe.epub")));
        assertTrue(m.contains("content.opf") && m.contains("DTD") && !m.contains("TOP SECRET"), m);
        ZipWriter lol = ZipWriter.epub3();
        lol.put("META-INF/container.xml", "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><c>&b;</c>");
        assertTrue(failure(lol.write(dir.resolve("lol.epub"))).contains("DTD"));
    }

    @Test
    void zipBombsAndTraversalNamesAreRefused() throws Exception {
        // 2 MB of one byte compresses ~1000:1.
        ZipWriter bomb = ZipWriter.epub3().put("OEBPS/text/ch1.xhtml", ZipWriter.xhtml("", "<p>" + "a".repeat(2 << 20) + "</p>"));
        String m = failure(bomb.write(dir.resolve("bomb.epub")));
        assertTrue(m.contains("ZIP bomb") && m.contains("compressed"), m);
        String t = failure(ZipWriter.epub3().put("../../evil.xhtml", "x").write(dir.resolve("trav.epub")));
        assertTrue(t.contains("path traversal") && t.contains("../../evil.xhtml"), t);
        // Counting limits are checked on what is actually inflated too, not only on the declared sizes.
        Path many = ZipWriter.epub3().write(dir.resolve("many.epub"));
        String c = assertThrows(IOException.class, () -> new BookReader(new SafeZip.Limits(5, 1 << 20, 1 << 20, 100)).read(many)).getMessage();
        assertTrue(c.contains("more than 5 entries"), c);
        String s = assertThrows(IOException.class, () -> new BookReader(new SafeZip.Limits(100, 1 << 20, 600, 100)).read(many)).getMessage();
        assertTrue(s.contains("inflate to more than 600 bytes"), s);
        assertEquals("OEBPS/a/b.xhtml", SafeZip.resolve("OEBPS/x/content.opf", "../a/b.xhtml#frag"));
        assertEquals(null, SafeZip.resolve("OEBPS/content.opf", "../../etc/passwd"));
        assertEquals(null, SafeZip.resolve("OEBPS/content.opf", "http://example.com/x.html"));
    }

    @Test
    void notBooksAndEmptyBooksGetClearMessages() throws Exception {
        assertTrue(failure(Files.write(dir.resolve("empty.epub"), new byte[0])).contains("empty.epub: is empty"));
        assertTrue(failure(Files.writeString(dir.resolve("blank.txt"), " \n\n \t")).contains("only white space"));
        assertTrue(failure(Files.writeString(dir.resolve("scan.pdf"), "%PDF-1.7\n...")).contains("is a PDF"));
        assertTrue(failure(Files.write(dir.resolve("pic.png"), ZipWriter.PNG)).contains("not a book"));
        assertTrue(failure(new ZipWriter().put("a.txt", "x").write(dir.resolve("x.zip"))).contains("ZIP archive but not a book"));
        Path noText = ZipWriter.epub3().write(dir.resolve("img.epub"));
        ZipWriter images = ZipWriter.epub3();
        for (String c : List.of("cover", "ch1", "ch2", "ch3", "ack")) images.put("OEBPS/text/" + c + ".xhtml", ZipWriter.xhtml("", "<img src=\"../images/cover.png\"/>"));
        images.put("OEBPS/nav.xhtml", ZipWriter.xhtml("", "<nav epub:type=\"toc\"><ol><li><a href=\"text/ch1.xhtml\">x</a></li></ol></nav>"));
        String m = failure(images.write(noText));
        assertTrue(m.contains("no text to narrate") && m.contains("OCR"), m);
        Files.write(dir.resolve("bad.epub"), "PK\u0003\u0004garbage".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(failure(dir.resolve("bad.epub")).contains("cannot be opened"));
    }

    @Test
    void docxHeadingsBecomeChapters() throws Exception {
        String w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        String doc = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <w:document xmlns:w="%s"><w:body>
                <w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>A Winter Tale</w:t></w:r></w:p>
                <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>First Snow</w:t></w:r></w:p>
                <w:p><w:r><w:t xml:space="preserve">The snow fell </w:t></w:r><w:r><w:t>soft</w:t></w:r><w:r><w:softHyphen/><w:t>ly.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>
                <w:p><w:r><w:t>“Come in,” he said.</w:t><w:br/><w:t>“Thank you.”</w:t></w:r><w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del></w:p>
                <w:p><w:pPr><w:pStyle w:val="MyChapter"/></w:pPr><w:r><w:t>Thaw</w:t></w:r></w:p>
                <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ice melted.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
                </w:body></w:document>""".formatted(w);
        String styles = """
                <w:styles xmlns:w="%s"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
                <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
                <w:style w:type="paragraph" w:styleId="MyChapter"><w:name w:val="My Chapter"/><w:basedOn w:val="Heading1"/></w:style></w:styles>""".formatted(w);
        String core = """
                <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">
                <dc:creator>Wren Hale</dc:creator></cp:coreProperties>""";
        Path f = new ZipWriter().put("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
                .put("word/document.xml", doc).put("word/styles.xml", styles).put("docProps/core.xml", core).write(dir.resolve("tale.docx"));
        Book b = read(f);
        assertEquals("A Winter Tale", b.title());
        assertEquals("Wren Hale", b.author());
        assertEquals(List.of("First Snow", "Thaw"), b.chapters().stream().map(Book.Chapter::title).toList());
        assertEquals(List.of("First Snow", "The snow fell softly.", "“Come in,” he said.\n“Thank you.”"), b.chapters().get(0).paragraphs());
        assertEquals(List.of("Thaw", "Ice melted."), b.chapters().get(1).paragraphs());
    }

    @Test
    void markdownHeadingsFrontMatterAndMarkup() throws Exception {
        Path f = Files.writeString(dir.resolve("novel.md"), """
                ---
                title: "Sea Glass"
                author: Mira Stone
                ---
                # Sea Glass

                ## Contents

                - One
                - Two

                ## One

                The *tide* went out.[^1] See [the map](http://x.example/map.png).

                > "Wait," she said.

                ## Two

                A quiet path led on-
                ward.

                12

                ```
                code is not read
                ```

                [^1]: The moon.
                """);
        Book b = read(f);
        assertEquals("Sea Glass", b.title());
        assertEquals("Mira Stone", b.author());
        assertEquals(List.of("Contents", "One", "Two"), b.chapters().stream().map(Book.Chapter::title).toList());
        assertEquals(Book.Matter.FRONT, b.chapters().getFirst().matter());
        assertEquals(List.of("One", "The tide went out. See the map.", "\"Wait,\" she said."), b.chapters().get(1).paragraphs());
        assertEquals(List.of("Two", "A quiet path led onward."), b.chapters().get(2).paragraphs());
    }

    @Test
    void plainTextChapterHeadingsRulesAndCleanup() throws Exception {
        Path f = Files.writeString(dir.resolve("story.txt"), """
                CHAPTER I. The Road

                He walked all day, tired and hun-
                gry.[1]

                Page 3

                CHAPTER II. The Inn

                "Room for one?" asked the keeper.
                "Yes," he said.
                """);
        Book b = read(f);
        assertEquals("story", b.title());
        assertEquals(List.of("CHAPTER I. The Road", "CHAPTER II. The Inn"), b.chapters().stream().map(Book.Chapter::title).toList());
        assertEquals(List.of("CHAPTER I. The Road", "He walked all day, tired and hungry."), b.chapters().get(0).paragraphs());
        assertEquals("\"Room for one?\" asked the keeper.\n\"Yes,\" he said.", b.chapters().get(1).paragraphs().get(1));
        Book ruled = read(Files.writeString(dir.resolve("ruled.txt"), "First part.\n\n* * *\n\nSecond part.\n"));
        assertEquals(List.of("Chapter 1", "Chapter 2"), ruled.chapters().stream().map(Book.Chapter::title).toList());
        assertEquals(List.of("Second part."), ruled.chapters().get(1).paragraphs());
    }
}
