package org.higgsnarrator.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file completely under a temporary name beside it, then moves it into place, so readers never see half a
 * file and a failed write leaves the previous version intact. The one place the project does this for single files
 * (projects, rendered audio, caches, bench results).
 *
 * <p>The temporary file is created like any new file (permissions from the umask; {@code Files.createTempFile} would
 * make it owner-only, and a rendered chapter or a project must stay shareable), and a file that is replaced keeps its
 * permissions.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public interface PathWriter {
        void write(Path temp) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        writeVia(target, temp -> {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.WRITE), 1 << 16)) {
                writer.write(out);
            }
        });
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The writer fills {@code temp} (e.g. an external tool writes it); then it replaces {@code target}. */
    public static void writeVia(Path target, PathWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path temp = createTempBeside(abs);
        try {
            writer.write(temp);
            if (Files.exists(abs)) copyPermissions(abs, temp);
            try {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A new empty hidden file beside {@code target}, keeping its extension (external tools such as ffmpeg choose the container by it). */
    static Path createTempBeside(Path target) throws IOException {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name, ext = dot > 0 ? name.substring(dot) : ".tmp";
        for (int attempt = 0; ; attempt++) {
            Path temp = target.resolveSibling("." + base + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ext);
            try {
                Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
    }

    private static void copyPermissions(Path from, Path to) {
        try {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system (Windows): the new file has the folder's default ACL, as any new file would
        }
    }
}
