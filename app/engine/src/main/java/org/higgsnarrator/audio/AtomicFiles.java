package org.higgsnarrator.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file completely under a temporary name beside it, then moves it into place, so readers never see half a file. */
final class AtomicFiles {
    private AtomicFiles() {}

    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    interface PathWriter {
        void write(Path temp) throws IOException;
    }

    static void write(Path target, Writer writer) throws IOException {
        writeVia(target, temp -> {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                writer.write(out);
            }
        });
    }

    /** The writer fills {@code temp} (e.g. an external tool writes it); then it replaces {@code target}. */
    static void writeVia(Path target, PathWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        // keep the extension: external tools (ffmpeg) choose the container by it
        Path temp = Files.createTempFile(dir, "." + (dot > 0 ? name.substring(0, dot) : name) + "-", dot > 0 ? name.substring(dot) : ".tmp");
        try {
            writer.write(temp);
            try {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
