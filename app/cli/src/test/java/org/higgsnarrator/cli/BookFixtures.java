package org.higgsnarrator.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Books written by the tests themselves, with the JDK's ZIP. */
final class BookFixtures {
    private BookFixtures() {}

    /** A 1×1 PNG. */
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /** Titles and sentences of {@link #threeChapterEpub}; each chapter's first paragraph is its heading. */
    static final List<String> TITLES = List.of("The Storm", "The Light", "Morning");
    static final List<List<String>> SENTENCES = List.of(
            List.of("The wind rose at dusk.", "Waves struck the rocks."),
            List.of("She lit the lamp.", "Its beam swept the sea.", "A ship turned toward it."),
            List.of("The sea was calm."));

    /** EPUB 3: package document, nav document (toc), a cover image and cover page, three chapters. */
    static Path threeChapterEpub(Path file) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("mimetype", bytes("application/epub+zip"));
        e.put("META-INF/container.xml", bytes("""
                <?xml version="1.0"?>
                <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
                  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
                </container>"""));
        e.put("OEBPS/content.opf", bytes("""
                <?xml version="1.0" encoding="UTF-8"?>
                <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
                  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
                    <dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>The Lighthouse</dc:title>
                    <dc:creator>Ada Quill</dc:creator><dc:language>en</dc:language>
                  </metadata>
                  <manifest>
                    <item id="img" href="cover.png" media-type="image/png" properties="cover-image"/>
                    <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
                    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                    <item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>
                    <item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/>
                    <item id="c3" href="c3.xhtml" media-type="application/xhtml+xml"/>
                  </manifest>
                  <spine><itemref idref="cover"/><itemref idref="c1"/><itemref idref="c2"/><itemref idref="c3"/></spine>
                </package>"""));
        e.put("OEBPS/cover.png", PNG);
        e.put("OEBPS/cover.xhtml", xhtml("<body epub:type=\"cover\"><img src=\"cover.png\" alt=\"The Lighthouse\"/></body>"));
        StringBuilder nav = new StringBuilder("<body><nav epub:type=\"toc\"><h1>Contents</h1><ol>");
        for (int i = 0; i < 3; i++) nav.append("<li><a href=\"c").append(i + 1).append(".xhtml\">").append(TITLES.get(i)).append("</a></li>");
        e.put("OEBPS/nav.xhtml", xhtml(nav.append("</ol></nav></body>").toString()));
        for (int i = 0; i < 3; i++) {
            StringBuilder body = new StringBuilder("<body><section epub:type=\"chapter\"><h1>").append(TITLES.get(i)).append("</h1><p>");
            body.append(String.join(" ", SENTENCES.get(i))).append("</p></section></body>");
            e.put("OEBPS/c" + (i + 1) + ".xhtml", xhtml(body.toString()));
        }
        return zip(file, e);
    }

    static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (var en : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(en.getKey());
                if (en.getKey().equals("mimetype")) {
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(en.getValue().length);
                    CRC32 crc = new CRC32();
                    crc.update(en.getValue());
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(en.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    private static byte[] xhtml(String body) {
        return bytes("""
                <?xml version="1.0" encoding="UTF-8"?>
                <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>t</title></head>%s</html>""".formatted(body));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
