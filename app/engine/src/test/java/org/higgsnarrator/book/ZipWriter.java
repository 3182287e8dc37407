package org.higgsnarrator.book;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes test books (EPUB, DOCX) with the JDK's ZIP, entry by entry, the EPUB mimetype first and stored. */
final class ZipWriter {
    final Map<String, byte[]> entries = new LinkedHashMap<>();

    ZipWriter put(String name, String text) {
        entries.put(name, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    ZipWriter put(String name, byte[] data) {
        entries.put(name, data);
        return this;
    }

    Path write(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (var e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                if (e.getKey().equals("mimetype")) {
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.getValue().length);
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    static final String CONTAINER = """
            <?xml version="1.0"?>
            <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
              <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
            </container>""";

    static String xhtml(String bodyAttrs, String body) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>x</title>
                <style>p { margin: 0 }</style></head><body %s>%s</body></html>""".formatted(bodyAttrs, body);
    }

    /** A tiny valid PNG (1×1). */
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /**
     * An EPUB 3 with a cover image and cover page, a title page, a nav document (toc + landmarks), three chapters
     * and a back-matter page; chapter 2 carries a footnote, a page break, a soft hyphen and a non-breaking space.
     */
    static ZipWriter epub3() {
        ZipWriter z = new ZipWriter().put("mimetype", "application/epub+zip").put("META-INF/container.xml", CONTAINER);
        z.put("OEBPS/content.opf", """
                <?xml version="1.0" encoding="UTF-8"?>
                <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
                  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
                    <dc:identifier id="id">urn:uuid:0</dc:identifier><dc:title>The Lighthouse Keeper</dc:title>
                    <dc:creator>Ada Quill</dc:creator><dc:language>en</dc:language>
                  </metadata>
                  <manifest>
                    <item id="cover-img" href="images/cover.png" media-type="image/png" properties="cover-image"/>
                    <item id="cover" href="text/cover.xhtml" media-type="application/xhtml+xml"/>
                    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                    <item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
                    <item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
                    <item id="c3" href="text/ch3.xhtml" media-type="application/xhtml+xml"/>
                    <item id="ack" href="text/ack.xhtml" media-type="application/xhtml+xml"/>
                  </manifest>
                  <spine><itemref idref="cover"/><itemref idref="nav"/><itemref idref="c1"/><itemref idref="c2"/><itemref idref="c3"/><itemref idref="ack"/></spine>
                </package>""");
        z.put("OEBPS/images/cover.png", PNG);
        z.put("OEBPS/nav.xhtml", xhtml("", """
                <nav epub:type="toc"><h1>Contents</h1><ol>
                  <li><a href="text/ch1.xhtml">1. The Storm</a></li>
                  <li><a href="text/ch2.xhtml">2. The Light</a></li>
                  <li><a href="text/ch3.xhtml">3. Morning</a></li>
                  <li><a href="text/ack.xhtml">Acknowledgements</a></li></ol></nav>
                <nav epub:type="landmarks"><ol><li><a epub:type="cover" href="text/cover.xhtml">Cover</a></li>
                  <li><a epub:type="bodymatter" href="text/ch1.xhtml">Start</a></li></ol></nav>"""));
        z.put("OEBPS/text/cover.xhtml", xhtml("epub:type=\"cover\"", "<p>The Lighthouse Keeper, a novel by Ada Quill</p><img src=\"../images/cover.png\" alt=\"cover\"/>"));
        z.put("OEBPS/text/ch1.xhtml", xhtml("", "<section epub:type=\"chapter\"><h1>The Storm</h1><p>The wind rose at dusk.</p><p>Waves struck the rocks.</p></section>"));
        z.put("OEBPS/text/ch2.xhtml", xhtml("", """
                <section epub:type="chapter"><h1>The Light</h1>
                <p>“Is anyone there?” she called.<a epub:type="noteref" href="#n1">1</a></p>
                <span epub:type="pagebreak" id="p7" title="7">7</span>
                <p>No one answered the keep\u00ADer’s call.\u00A0Only the lamp turned.</p>
                <aside epub:type="footnote" id="n1"><p>She was alone.</p></aside></section>"""));
        z.put("OEBPS/text/ch3.xhtml", xhtml("", "<section epub:type=\"chapter\"><h1>Morning</h1><p>The sea was calm.</p></section>"));
        z.put("OEBPS/text/ack.xhtml", xhtml("epub:type=\"backmatter\"", "<h1>Acknowledgements</h1><p>Thanks to the sea.</p>"));
        return z;
    }
}
