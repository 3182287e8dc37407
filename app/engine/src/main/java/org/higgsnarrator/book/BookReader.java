package org.higgsnarrator.book;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a book file for narration: EPUB 2/3, DOCX, Markdown or plain text, recognised from the content (the extension
 * only decides between Markdown and plain text). Everything else — PDF, Kindle, old Word, OpenDocument, images,
 * empty files — fails with a {@link BookFormatException} that says what the file is and what to do instead.
 */
public final class BookReader {
    /** Largest text file read (a very long novel in UTF-8 is ~5 MB). */
    static final long MAX_TEXT_BYTES = 64L << 20;

    private final SafeZip.Limits limits;

    public BookReader() {
        this(SafeZip.Limits.BOOKS);
    }

    public BookReader(SafeZip.Limits limits) {
        this.limits = limits;
    }

    public Book read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new BookFormatException(file, "is a folder; import a book file (EPUB, DOCX, Markdown or text)");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "book file not found");
        long size = Files.size(file);
        if (size == 0) throw new BookFormatException(file, "is empty: there is nothing to import");
        byte[] head = new byte[(int) Math.min(size, 8192)];
        try (InputStream in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, head.length);
        }
        String kind = sniff(head);
        switch (kind) {
            case "zip" -> {
                return readZip(file);
            }
            case "pdf" -> throw new BookFormatException(file, "is a PDF. PDF keeps no reliable reading order or chapters; convert it to EPUB"
                    + " (e.g. Calibre: ebook-convert book.pdf book.epub) or DOCX, check the text, and import that");
            case "mobi" -> throw new BookFormatException(file, "is a Kindle book (MOBI/AZW). Convert a DRM-free copy to EPUB (Calibre:"
                    + " ebook-convert book.azw3 book.epub) and import that");
            case "ole" -> throw new BookFormatException(file, "is an old Word .doc (or another legacy Office file). Save it as .docx and import that");
            case "rtf" -> throw new BookFormatException(file, "is RTF. Save it as .docx (Word, LibreOffice) and import that");
            case "binary" -> throw new BookFormatException(file, "is not a book: it is binary data, not EPUB, DOCX, Markdown or text");
            default -> {
                if (size > MAX_TEXT_BYTES) throw new BookFormatException(file, "is a " + (size >> 20) + " MB text file; the limit is " + (MAX_TEXT_BYTES >> 20) + " MB. Split it");
                return readText(file);
            }
        }
    }

    static String sniff(byte[] b) {
        if (starts(b, "PK\u0003\u0004") || starts(b, "PK\u0005\u0006")) return "zip";
        if (starts(b, "%PDF")) return "pdf";
        if (starts(b, "{\\rtf")) return "rtf";
        if (b.length >= 8 && (b[0] & 0xFF) == 0xD0 && (b[1] & 0xFF) == 0xCF && (b[2] & 0xFF) == 0x11 && (b[3] & 0xFF) == 0xE0) return "ole";
        if (b.length >= 68 && (new String(b, 60, 8, StandardCharsets.ISO_8859_1).equals("BOOKMOBI") || new String(b, 60, 8, StandardCharsets.ISO_8859_1).equals("TEXtREAd"))) return "mobi";
        boolean utf16 = b.length >= 2 && ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE || (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF);
        if (!utf16) for (byte x : b) if (x == 0) return "binary";
        return "text";
    }

    private static boolean starts(byte[] b, String magic) {
        if (b.length < magic.length()) return false;
        for (int i = 0; i < magic.length(); i++) if ((b[i] & 0xFF) != magic.charAt(i)) return false;
        return true;
    }

    private Book readZip(Path file) throws IOException {
        try (SafeZip zip = SafeZip.open(file, limits)) {
            if (zip == null) throw new BookFormatException(file, "looks like a ZIP archive but cannot be opened (truncated or damaged); re-download it");
            String mimetype = zip.has("mimetype") ? new String(zip.read("mimetype"), StandardCharsets.US_ASCII).strip() : "";
            if (mimetype.equals("application/epub+zip") || zip.has("META-INF/container.xml")) return new EpubReader(file, zip).read();
            if (zip.has("word/document.xml")) return new DocxReader(file, zip).read();
            if (mimetype.startsWith("application/vnd.oasis.opendocument")) {
                throw new BookFormatException(file, "is an OpenDocument file (" + mimetype + "). Save it as .docx (LibreOffice: File → Save As) and import that");
            }
            throw new BookFormatException(file, "is a ZIP archive but not a book: it has neither META-INF/container.xml (EPUB) nor word/document.xml (DOCX)");
        }
    }

    private Book readText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> notes = new ArrayList<>();
        String text = decode(bytes, notes);
        if (text.isBlank()) throw new BookFormatException(file, "has only white space: there is nothing to import");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String title = EpubReader.baseName(file);
        Book b;
        if (name.endsWith(".html") || name.endsWith(".htm") || name.endsWith(".xhtml")) {
            throw new BookFormatException(file, "is a web page. Save it as EPUB or DOCX, or copy its text into a .txt or .md file, and import that");
        } else if (name.endsWith(".md") || name.endsWith(".markdown") || name.endsWith(".mdown") || name.endsWith(".mkd")) {
            b = MarkdownReader.read(text, title);
        } else {
            b = PlainTextReader.read(text, title);
        }
        if (b.chapters().isEmpty()) throw new BookFormatException(file, "has no words to narrate (only punctuation, numbers or markup)");
        notes.addAll(b.notes());
        return new Book(b.title(), b.author(), b.language(), b.cover(), b.chapters(), notes);
    }

    /** UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (said in the notes). */
    static String decode(byte[] b, List<String> notes) {
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) return new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) return new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
        int off = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, b.length - off)).toString();
        } catch (CharacterCodingException e) {
            notes.add("the text is not UTF-8; read as Windows-1252 (check accented letters)");
            return new String(b, Charset.forName("windows-1252"));
        }
    }
}
