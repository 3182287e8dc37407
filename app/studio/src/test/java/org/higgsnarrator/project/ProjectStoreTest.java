package org.higgsnarrator.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.project.Project.Chapter;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.project.Project.RenderedSegment;
import org.higgsnarrator.project.Project.Speaker;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.project.Project.Voice;
import org.higgsnarrator.project.Project.VoiceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectStoreTest {
    @TempDir
    Path dir;

    static Project fullProject() {
        Voice cloned = new Voice("v1", "Alice (clip)", VoiceKind.CLONED, "", "voices/abc.wav", "Hello there, it's me — “Alice”.",
                "/home/me/alice.flac", 7.25, "abc", List.of("resampled 44100 Hz → 24000 Hz", "trimmed 0.4 s of silence"));
        Voice described = Voice.described("Warm male", "Male, American accent, modern speaking rate, moderate-pitch, friendly tone, and very clear audio.");
        Take t1 = new Take("t1", "takes/h1-t1.wav", 3.52, 1234567890123L, "2026-01-02T03:04:05Z", "higgs-v2-int4");
        Take t2 = new Take("t2", "takes/h1-t2.wav", 3.48, 1234567890124L, "2026-01-02T03:05:00Z", "higgs-v2-int4");
        Chapter c1 = new Chapter("c1", "Chapter 1: Arrival", "Audio is recorded from a quiet room.",
                "It was late.\n\nAlice: Who's there? [laugh]\n[SPEAKER2] Just me.\n", List.of(new RenderedSegment("h1", List.of(t1, t2), "t1")));
        Chapter c2 = new Chapter("c2", "Chapter 2", "", "", List.of());
        return new Project(Project.FORMAT_VERSION, "The Long Night",
                List.of(new Speaker("s0", "Narrator", described.id()), new Speaker("s1", "Alice", "v1"), new Speaker("s2", "Bob", null)),
                List.of(cloned, described), List.of(c1, c2), new GenerationSettings(0.7, 40, 0.9, 7, 2, 1500, 99));
    }

    @Test
    void roundTripIsExact() throws Exception {
        Project p = fullProject();
        Path f = dir.resolve("book.narrator");
        ProjectStore.save(p, f);
        Project back = ProjectStore.load(f);
        assertEquals(p, back);
        // Saving what was loaded writes the same bytes: nothing is lost or reordered.
        Path g = dir.resolve("again.narrator");
        ProjectStore.save(back, g);
        assertEquals(Files.readString(f), Files.readString(g));
        assertFalse(Files.exists(dir.resolve("book.narrator.tmp")), "temporary file left behind");
    }

    @Test
    void saveReplacesTheFileAndLeavesNothingElse() throws Exception {
        Path f = dir.resolve("book.narrator");
        ProjectStore.save(Project.create("One"), f);
        ProjectStore.save(Project.create("Two"), f);
        assertEquals("Two", ProjectStore.load(f).title());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void newerFormatIsRefusedWithAdvice() throws Exception {
        Path f = dir.resolve("future.narrator");
        Files.writeString(f, "{\"formatVersion\": 99, \"title\": \"x\"}");
        ProjectFormatException e = assertThrows(ProjectFormatException.class, () -> ProjectStore.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("newer") && e.getMessage().contains("update"), e.getMessage());
    }

    @Test
    void brokenFilesNameTheFileAndTheProblem() throws Exception {
        Path f = dir.resolve("broken.narrator");
        Files.writeString(f, "{\"formatVersion\": 1, \"chapters\": [ {\"title\": ");
        var e = assertThrows(ProjectFormatException.class, () -> ProjectStore.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        Files.writeString(f, "{\"title\": \"no version\"}");
        e = assertThrows(ProjectFormatException.class, () -> ProjectStore.load(f));
        assertTrue(e.getMessage().contains("formatVersion"), e.getMessage());
        Files.writeString(f, "{\"formatVersion\": 1, \"chapters\": [ {\"title\": \"no id\"} ]}");
        e = assertThrows(ProjectFormatException.class, () -> ProjectStore.load(f));
        assertTrue(e.getMessage().contains("chapter id"), e.getMessage());
    }

    @Test
    void missingListsAndSettingsGetDefaults() throws Exception {
        Path f = dir.resolve("min.narrator");
        Files.writeString(f, "{\"formatVersion\": 1, \"title\": \"Minimal\"}");
        Project p = ProjectStore.load(f);
        assertEquals(List.of(), p.chapters());
        assertEquals(GenerationSettings.defaults(), p.settings());
    }

    @Test
    void assetsFolderSitsBesideTheFile() {
        assertEquals(dir.resolve("book.assets"), ProjectStore.assetsDir(dir.resolve("book.narrator")));
        assertEquals(dir.resolve("x.narrator"), ProjectStore.withExtension(dir.resolve("x")));
    }
}
