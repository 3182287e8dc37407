package org.higgsnarrator.book;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A ZIP container (EPUB, DOCX) read as untrusted input: entry count, per-entry and total uncompressed size and the
 * compression ratio are bounded (checked on the declared sizes up front and again on the bytes actually inflated,
 * since headers can lie), and entry names are only ever used as keys, never as file-system paths; names that
 * would escape the container ({@code ..}, absolute, drive letters, backslashes) are refused outright.
 */
public final class SafeZip implements AutoCloseable {
    /**
     * @param maxEntries    most entries in the archive
     * @param maxEntryBytes most bytes one entry may inflate to
     * @param maxTotalBytes most bytes all entries read may inflate to
     * @param maxRatio      most uncompressed/compressed ratio of an entry larger than {@link #RATIO_FLOOR}
     */
    public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio) {
        /** Far above any real book (a 2,000-page illustrated EPUB is ~300 MB with a few thousand entries). */
        public static final Limits BOOKS = new Limits(20_000, 256L << 20, 1L << 30, 200);
    }

    /** Small entries may compress far (a run of spaces); the ratio is only checked above this size. */
    static final long RATIO_FLOOR = 1 << 20;

    private final Path file;
    private final ZipFile zip;
    private final Limits limits;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();
    private long inflated;

    private SafeZip(Path file, ZipFile zip, Limits limits) {
        this.file = file;
        this.zip = zip;
        this.limits = limits;
    }

    /** Opens and checks the archive's directory; null when the file is not a ZIP archive at all. */
    public static SafeZip open(Path file, Limits limits) throws IOException {
        ZipFile z;
        try {
            z = new ZipFile(file.toFile());
        } catch (ZipException e) {
            return null;
        }
        SafeZip s = new SafeZip(file, z, limits);
        try {
            s.scan();
        } catch (IOException | RuntimeException e) {
            z.close();
            throw e;
        }
        return s;
    }

    private void scan() throws IOException {
        long declared = 0;
        int n = 0;
        Enumeration<? extends ZipEntry> en = zip.entries();
        while (en.hasMoreElements()) {
            ZipEntry e = en.nextElement();
            if (++n > limits.maxEntries()) throw refuse("more than " + limits.maxEntries() + " entries");
            String name = e.getName();
            if (!safeName(name)) throw refuse("entry '" + name + "' points outside the archive (path traversal)");
            long size = e.getSize();
            if (size > limits.maxEntryBytes()) throw refuse("entry '" + name + "' inflates to " + size + " bytes");
            if (size > 0) declared += size;
            if (declared > limits.maxTotalBytes()) throw refuse("the entries inflate to more than " + limits.maxTotalBytes() + " bytes");
            long packed = e.getCompressedSize();
            if (size > RATIO_FLOOR && packed > 0 && size / packed > limits.maxRatio())
                throw refuse("entry '" + name + "' is compressed " + (size / packed) + ":1");
            if (!e.isDirectory()) entries.putIfAbsent(name, e);
        }
    }

    private BookFormatException refuse(String why) {
        return new BookFormatException(file, "refused as a possible ZIP bomb or tampered archive: " + why
                + ". If this is a genuine book, re-save it with an e-book editor (e.g. Calibre or Sigil) and import again");
    }

    static boolean safeName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) return false;
        if (name.length() > 1 && name.charAt(1) == ':') return false;
        for (String part : name.split("/")) if (part.equals("..")) return false;
        return true;
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(entries.keySet());
    }

    /** The entry's bytes, or null when there is no such entry; inflation is bounded by the limits. */
    public byte[] read(String name) throws IOException {
        ZipEntry e = entries.get(name);
        if (e == null) return null;
        long packed = Math.max(1, e.getCompressedSize());
        try (InputStream in = zip.getInputStream(e)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(Math.max(e.getSize(), 256), 1 << 20));
            byte[] buf = new byte[64 * 1024];
            long got = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                got += r;
                inflated += r;
                if (got > limits.maxEntryBytes()) throw refuse("entry '" + name + "' inflates to more than " + limits.maxEntryBytes() + " bytes");
                if (inflated > limits.maxTotalBytes()) throw refuse("the entries inflate to more than " + limits.maxTotalBytes() + " bytes");
                if (got > RATIO_FLOOR && got / packed > limits.maxRatio()) throw refuse("entry '" + name + "' is compressed more than " + limits.maxRatio() + ":1");
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        } catch (ZipException ex) {
            throw new BookFormatException(file, "damaged archive entry '" + name + "' (" + ex.getMessage() + "); re-download or re-save the file", ex);
        }
    }

    public String readString(String name) throws IOException {
        byte[] b = read(name);
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Resolves {@code href} (URL-encoded, relative to the entry {@code base}) to an entry name; null when it leaves
     * the archive or is not a relative reference.
     */
    public static String resolve(String base, String href) {
        if (href == null) return null;
        int hash = href.indexOf('#');
        if (hash >= 0) href = href.substring(0, hash);
        if (href.isEmpty() || href.contains(":")) return null; // absolute URLs (http:, data:) are not entries
        href = java.net.URLDecoder.decode(href.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        String dir = base.contains("/") ? base.substring(0, base.lastIndexOf('/') + 1) : "";
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String p : (href.startsWith("/") ? href.substring(1) : dir + href).split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (parts.isEmpty()) return null;
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
