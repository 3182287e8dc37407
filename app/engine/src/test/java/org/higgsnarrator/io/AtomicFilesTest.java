package org.higgsnarrator.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFailedWriteLeavesThePreviousVersionAndNoTemporaryFile() throws Exception {
        Path f = dir.resolve("book.narrator");
        AtomicFiles.writeString(f, "version 1");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half of version 2".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("version 1", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    /** A new file gets the permissions any new file gets (not the owner-only ones of a temp file); a replaced one keeps its own. */
    @Test
    void newFilesAreShareableAndReplacedFilesKeepTheirPermissions() throws Exception {
        Path probe = Files.createFile(dir.resolve("probe"));
        Set<PosixFilePermission> umaskDefault = Files.getPosixFilePermissions(probe);
        Path f = dir.resolve("chapter.wav");
        AtomicFiles.writeString(f, "one");
        assertEquals(umaskDefault, Files.getPosixFilePermissions(f));
        assertTrue(umaskDefault.contains(PosixFilePermission.GROUP_READ) || umaskDefault.contains(PosixFilePermission.OTHERS_READ),
                "this machine's umask leaves new files readable by others: " + PosixFilePermissions.toString(umaskDefault));

        Set<PosixFilePermission> custom = PosixFilePermissions.fromString("rw-rw----");
        Files.setPosixFilePermissions(f, custom);
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(custom, Files.getPosixFilePermissions(f));
    }

    @Test
    void theTemporaryFileKeepsTheExtensionForExternalTools() throws Exception {
        Path f = dir.resolve("book.m4b");
        AtomicFiles.writeVia(f, temp -> {
            assertTrue(temp.getFileName().toString().endsWith(".m4b"), temp.toString());
            assertEquals(dir, temp.getParent());
            Files.writeString(temp, "from ffmpeg");
        });
        assertEquals("from ffmpeg", Files.readString(f));
    }
}
