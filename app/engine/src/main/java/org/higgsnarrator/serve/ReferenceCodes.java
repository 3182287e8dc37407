package org.higgsnarrator.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.higgsnarrator.engine.Narrator;

/**
 * Codec codes of reference clips (and of earlier chunks sent back as context), cached by the SHA-256 of the file's
 * bytes: a voice used by every request of a book is encoded once. Bounded (least recently used entries go first). The
 * cache lives as long as the server, i.e. with one loaded model and codec, so the codec needs no place in the key.
 */
final class ReferenceCodes {
    private final Narrator narrator;
    private final int capacity;
    private final Map<String, int[][]> cache;
    private long hits, misses;

    ReferenceCodes(Narrator narrator, int capacity) {
        this.narrator = narrator;
        this.capacity = capacity;
        this.cache = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * @param where the request field the bytes came from, named in the error
     * @throws ApiError 400 when the bytes are not audio the reader understands
     */
    int[][] codes(byte[] audio, String where) {
        String key = sha256(audio);
        synchronized (this) {
            int[][] c = cache.get(key);
            if (c != null) {
                hits++;
                return c;
            }
            misses++;
        }
        int[][] codes = encode(audio, where);
        synchronized (this) {
            cache.put(key, codes);
            while (cache.size() > capacity) cache.remove(cache.keySet().iterator().next());
        }
        return codes;
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }

    private int[][] encode(byte[] audio, String where) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("narrator-serve-clip", ".audio");
            Files.write(tmp, audio);
            return narrator.encodeReference(tmp);
        } catch (UncheckedIOException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            if (tmp != null) why = why.replace(tmp.toString(), "the clip").replace(tmp.getFileName().toString(), "the clip");
            throw ApiError.badRequest(where, where + " is not audio this server can read: " + why + " (send a WAV, FLAC or MP3 file, base64-encoded)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary file for a reference clip: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
