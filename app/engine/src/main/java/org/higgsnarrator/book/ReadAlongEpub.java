package org.higgsnarrator.book;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.higgsnarrator.io.AtomicFiles;

/**
 * An EPUB 3 with media overlays (EPUB 3.3 "Media Overlays"): one XHTML document per chapter with each sentence in a
 * {@code <span id>}, one SMIL document per chapter pairing each span with its clip of the chapter's audio
 * ({@code clipBegin}/{@code clipEnd} from the caption cues), durations in the package metadata and the
 * {@code media:active-class} that reading systems (Thorium, Apple Books, Storyteller, Readest…) use to highlight
 * the sentence being read. The audio is embedded (MP3, a core media type).
 */
public final class ReadAlongEpub {
    private ReadAlongEpub() {}

    /** @param audio the chapter's MP3; @param cues its sentences with times in that file */
    public record Chapter(String title, Path audio, List<Captions.Cue> cues) {}

    /** @param cover JPEG/PNG cover image or null */
    public record Meta(String title, String author, String language, Path cover) {}

    public static final String ACTIVE_CLASS = "-epub-media-overlay-active";

    public static void write(Meta meta, List<Chapter> chapters, Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            try (ZipOutputStream z = new ZipOutputStream(new NonClosing(out))) {
                stored(z, "mimetype", "application/epub+zip".getBytes(StandardCharsets.US_ASCII));
                put(z, "META-INF/container.xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
                          <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
                        </container>
                        """);
                put(z, "OEBPS/style.css", "." + ACTIVE_CLASS + " { background-color: #ffe58a; color: inherit; }\np { line-height: 1.5; }\n");
                StringBuilder manifest = new StringBuilder(), spine = new StringBuilder(), durations = new StringBuilder(), nav = new StringBuilder();
                double total = 0;
                for (int i = 0; i < chapters.size(); i++) {
                    Chapter c = chapters.get(i);
                    String n = String.valueOf(i + 1), xhtml = "chapter" + n + ".xhtml", smil = "chapter" + n + ".smil", mp3 = "audio/chapter" + n + ".mp3";
                    put(z, "OEBPS/" + xhtml, xhtml(c, n, meta.language()));
                    put(z, "OEBPS/" + smil, smil(c, n, xhtml, mp3));
                    z.putNextEntry(new ZipEntry("OEBPS/" + mp3));
                    Files.copy(c.audio(), z);
                    z.closeEntry();
                    double seconds = c.cues().isEmpty() ? 0 : c.cues().getLast().end();
                    total += seconds;
                    manifest.append("    <item id=\"c").append(n).append("\" href=\"").append(xhtml).append("\" media-type=\"application/xhtml+xml\" media-overlay=\"mo").append(n).append("\"/>\n")
                            .append("    <item id=\"mo").append(n).append("\" href=\"").append(smil).append("\" media-type=\"application/smil+xml\"/>\n")
                            .append("    <item id=\"a").append(n).append("\" href=\"").append(mp3).append("\" media-type=\"audio/mpeg\"/>\n");
                    spine.append("    <itemref idref=\"c").append(n).append("\"/>\n");
                    durations.append("    <meta property=\"media:duration\" refines=\"#mo").append(n).append("\">").append(clock(seconds)).append("</meta>\n");
                    nav.append("      <li><a href=\"").append(xhtml).append("\">").append(esc(c.title())).append("</a></li>\n");
                }
                String coverItem = "";
                if (meta.cover() != null && Files.isRegularFile(meta.cover())) {
                    String name = meta.cover().getFileName().toString().toLowerCase(Locale.ROOT);
                    String ext = name.endsWith(".png") ? "png" : "jpg";
                    z.putNextEntry(new ZipEntry("OEBPS/cover." + ext));
                    Files.copy(meta.cover(), z);
                    z.closeEntry();
                    coverItem = "    <item id=\"cover\" href=\"cover." + ext + "\" media-type=\"image/" + (ext.equals("png") ? "png" : "jpeg") + "\" properties=\"cover-image\"/>\n";
                }
                put(z, "OEBPS/nav.xhtml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <!DOCTYPE html>
                        <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="%1$s" lang="%1$s">
                        <head><title>%2$s</title></head>
                        <body><nav epub:type="toc" id="toc"><h1>%2$s</h1>
                            <ol>
                        %3$s    </ol></nav></body></html>
                        """.formatted(lang(meta.language()), esc(meta.title()), nav));
                String id = "urn:uuid:" + UUID.nameUUIDFromBytes((meta.title() + "\u0000" + meta.author()).getBytes(StandardCharsets.UTF_8));
                put(z, "OEBPS/content.opf", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="%1$s">
                          <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
                            <dc:identifier id="bookid">%2$s</dc:identifier>
                            <dc:title>%3$s</dc:title>
                        %4$s    <dc:language>%1$s</dc:language>
                            <meta property="dcterms:modified">%5$s</meta>
                            <meta property="media:active-class">%6$s</meta>
                            <meta property="media:duration">%7$s</meta>
                        %8$s  </metadata>
                          <manifest>
                            <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                            <item id="css" href="style.css" media-type="text/css"/>
                        %9$s%10$s  </manifest>
                          <spine>
                        %11$s  </spine>
                        </package>
                        """.formatted(lang(meta.language()), id, esc(meta.title()),
                        meta.author() == null || meta.author().isBlank() ? "" : "    <dc:creator>" + esc(meta.author()) + "</dc:creator>\n",
                        Instant.now().truncatedTo(ChronoUnit.SECONDS), ACTIVE_CLASS, clock(total), durations, coverItem, manifest, spine));
            }
        });
    }

    static String xhtml(Chapter c, String n, String language) {
        StringBuilder body = new StringBuilder();
        int paragraph = Integer.MIN_VALUE;
        for (int i = 0; i < c.cues().size(); i++) {
            Captions.Cue q = c.cues().get(i);
            if (q.paragraph() != paragraph) {
                if (paragraph != Integer.MIN_VALUE) body.append("</p>\n");
                body.append("<p>");
                paragraph = q.paragraph();
            } else {
                body.append(' ');
            }
            body.append("<span id=\"s").append(n).append('-').append(i + 1).append("\">").append(esc(q.text())).append("</span>");
        }
        if (paragraph != Integer.MIN_VALUE) body.append("</p>\n");
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE html>
                <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="%1$s" lang="%1$s">
                <head><title>%2$s</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
                <body><section epub:type="chapter" aria-label="%2$s">
                %3$s</section></body></html>
                """.formatted(lang(language), esc(c.title()), body);
    }

    static String smil(Chapter c, String n, String xhtml, String mp3) {
        StringBuilder pars = new StringBuilder();
        for (int i = 0; i < c.cues().size(); i++) {
            Captions.Cue q = c.cues().get(i);
            pars.append("    <par id=\"p").append(i + 1).append("\"><text src=\"").append(xhtml).append("#s").append(n).append('-').append(i + 1)
                    .append("\"/><audio src=\"").append(mp3).append("\" clipBegin=\"").append(seconds(q.start())).append("\" clipEnd=\"")
                    .append(seconds(q.end())).append("\"/></par>\n");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
                  <body><seq id="seq%s" epub:textref="%s" epub:type="chapter">
                %s  </seq></body>
                </smil>
                """.formatted(n, xhtml, pars);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3fs", s);
    }

    /** SMIL clock value h:mm:ss.fff (media:duration). */
    static String clock(double s) {
        long ms = Math.round(s * 1000);
        return String.format(Locale.ROOT, "%d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    private static String lang(String l) {
        return l == null || l.isBlank() ? "en" : esc(l);
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (ch >= 0x20 || ch == '\n' || ch == '\t') sb.append(ch);
                }
            }
        }
        return sb.toString();
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    private static void put(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    /** AtomicFiles closes the stream itself. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
