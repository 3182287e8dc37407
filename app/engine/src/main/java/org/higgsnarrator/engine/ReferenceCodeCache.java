package org.higgsnarrator.engine;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.Pcm16;
import org.higgsnarrator.io.AtomicFiles;

/**
 * Codec codes of prepared reference clips on disk, one file per clip and codec:
 * {@code <dir>/<content key>.codes-<codec id>.json}. The content key hashes the prepared samples as 16-bit PCM, so the
 * same recording gets the same key whatever its file name or format; the codec id ({@code PackageManifest.codecId()})
 * keeps codes of one codec away from another. A damaged entry is encoded again and replaced.
 */
final class ReferenceCodeCache {
    private ReferenceCodeCache() {}

    private static final Gson GSON = new Gson();

    /** Stored form. @param codes [K][F] codec codes, no BOS/EOS framing */
    record CachedCodes(int formatVersion, String codec, int[][] codes) {}

    /** 16 hex digits of the SHA-256 of the clip as 16-bit PCM (what the clip's WAV file holds). */
    static String contentKey(AudioClip prepared) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Pcm16.encode(prepared.samples()));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(Path dir, String key, String codecId) {
        return dir.resolve(key + ".codes-" + codecId + ".json");
    }

    /** The cached codes, or null when there are none (or they are damaged, or from another codec or model size). */
    static int[][] read(Path f, String codecId, int codebooks) {
        if (!Files.isRegularFile(f)) return null;
        try {
            CachedCodes c = GSON.fromJson(Files.readString(f), CachedCodes.class);
            return c != null && c.codes() != null && c.codes().length == codebooks && codecId.equals(c.codec()) ? c.codes() : null;
        } catch (IOException | JsonParseException e) {
            return null; // re-encoded and replaced by the caller
        }
    }

    static void write(Path f, String codecId, int[][] codes) {
        try {
            Files.createDirectories(f.getParent());
            AtomicFiles.writeString(f, GSON.toJson(new CachedCodes(1, codecId, codes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache reference codes in " + f + ": " + e.getMessage(), e);
        }
    }
}
