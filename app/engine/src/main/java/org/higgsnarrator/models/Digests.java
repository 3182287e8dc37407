package org.higgsnarrator.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** File checksums: sha256 (package manifests, hub LFS files) and git blob ids (hub files kept in plain git). */
public final class Digests {
    private Digests() {}

    private static final int BUFFER = 1 << 20;

    /** Lower-case hex sha256 of a file; {@code progress} receives byte counts as they are read (may be null). */
    public static String sha256(Path file, LongConsumer progress) throws IOException {
        return hex(digest(file, "SHA-256", null, progress));
    }

    /** Git's blob id: sha1 over {@code "blob <size>\0"} followed by the content — what the hub reports for non-LFS files. */
    public static String gitBlobSha1(Path file) throws IOException {
        byte[] header = ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII);
        return hex(digest(file, "SHA-1", header, null));
    }

    private static byte[] digest(Path file, String algorithm, byte[] prefix, LongConsumer progress) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java platform", e);
        }
        if (prefix != null) md.update(prefix);
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                if (progress != null) progress.accept(n);
            }
        }
        return md.digest();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** "1.2 GB" style sizes for messages (decimal units, as disks and the hub count). */
    public static String human(long bytes) {
        if (bytes < 0) return "?";
        if (bytes < 1000) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
