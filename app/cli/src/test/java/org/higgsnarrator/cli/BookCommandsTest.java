package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import}, {@code render}: a book in, an audiobook out. */
class BookCommandsTest {
    @TempDir
    Path dir;

    static String stdoutOf(NarrateCommandTest.Action a) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            a.run();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void importsAThreeChapterEpubWithTitlesAuthorAndCover() throws Exception {
        Path epub = BookFixtures.threeChapterEpub(dir.resolve("lighthouse.epub"));
        Path project = dir.resolve("book.narrator");
        String out = stdoutOf(() -> assertEquals(0, Main.run(new String[] {"import", epub.toString(), "--out", project.toString()})));
        assertTrue(out.contains("3 chapter(s)") && out.contains("cover: cover.png"), out);
        Project p = ProjectStore.load(project);
        assertEquals("The Lighthouse", p.title());
        assertEquals("Ada Quill", p.book().author());
        assertEquals(BookFixtures.TITLES, p.chapters().stream().map(Project.Chapter::title).toList());
        assertEquals("The Storm\n\nThe wind rose at dusk. Waves struck the rocks.", p.chapters().getFirst().script());
        assertArrayEquals(BookFixtures.PNG, Files.readAllBytes(ProjectStore.assetsDir(project).resolve(p.book().cover())));
        // An existing project is not replaced without --force; a bad book says what it is.
        PrintStream err = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
            assertEquals(2, Main.run(new String[] {"import", epub.toString(), "--out", project.toString()}));
            assertEquals(1, Main.run(new String[] {"import", Files.writeString(dir.resolve("x.pdf"), "%PDF-1.4").toString(), "--out", dir.resolve("y").toString()}));
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of(), p.voices());
    }
}
