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

    @Test
    void narrateTakesLexiconsAndRefusesBadOnesBeforeLoadingTheModel() throws Exception {
        Path tiny = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");
        Path script = Files.writeString(dir.resolve("s.txt"), "Hermione waved.\n");
        Path pls = dir.resolve("names.pls");
        org.higgsnarrator.lexicon.LexiconFiles.write(new org.higgsnarrator.lexicon.Lexicon(List.of(
                org.higgsnarrator.lexicon.LexiconRule.word("Hermione", "Her-my-oh-nee", false))), pls);
        Path out = dir.resolve("s.wav");
        NarrateCommandTest.stderrOf(() -> assertEquals(0, Main.run(new String[] {"narrate", script.toString(), "--out", out.toString(), "--model", tiny.toString(),
                "--device", "cpu", "--max-frames", "16", "--quiet", "--lexicon", pls.toString()})));
        assertTrue(Files.size(out) > 44);
        Path bad = Files.writeString(dir.resolve("bad.txt"), "Hermione Her-my-oh-nee\n");
        String err = NarrateCommandTest.stderrOf(() -> assertEquals(1, Main.run(new String[] {"narrate", script.toString(), "--out", out.toString(),
                "--model", dir.resolve("no-such-model").toString(), "--lexicon", bad.toString()})));
        assertTrue(err.contains("bad.txt line 1") && err.contains("word = replacement"), err);
    }

    private static boolean has(String tool) {
        try {
            return new ProcessBuilder(tool, "-version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /**
     * The proof: a three-chapter EPUB 3 (nav, cover) imports as three chapters with their titles; render on
     * the bundled package writes three chapter files, an M4B with three chapter markers (ffprobe) and SRT files whose
     * cues are the chapters' sentences in order; a second run renders nothing; a lost chapter file is rebuilt from the
     * project's takes; the read-along EPUB reads back with its overlays pointing at its sentences.
     */
    @Test
    void rendersTheImportedBookToChapterFilesM4bCaptionsAndReadAlong() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(has("ffmpeg") && has("ffprobe"), "ffmpeg/ffprobe not installed (CI: apt-get install ffmpeg)");
        Path tiny = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");
        Path epub = BookFixtures.threeChapterEpub(dir.resolve("lighthouse.epub"));
        Path project = dir.resolve("book.narrator");
        importWithShortTakes(epub, project);
        Path out = dir.resolve("audiobook");
        String[] render = {"render", project.toString(), "--out", out.toString(), "--captions", "srt", "--read-along", "--model", tiny.toString(), "--device", "cpu"};
        String[] err = new String[1];
        String listed = stdoutOf(() -> err[0] = NarrateCommandTest.stderrOf(() -> assertEquals(0, Main.run(render))));
        assertTrue(err[0].contains("done: 6 segment(s) rendered, 0 reused") && err[0].contains("6 of 6 segment(s) to render done, ETA 0:00:00"), err[0]);

        for (int i = 0; i < 3; i++) {
            String base = String.format("%02d - %s", i + 1, BookFixtures.TITLES.get(i));
            assertTrue(Files.size(out.resolve(base + ".m4a")) > 0, base);
            List<String> expected = new java.util.ArrayList<>(List.of(BookFixtures.TITLES.get(i)));
            expected.addAll(BookFixtures.SENTENCES.get(i));
            assertEquals(expected, cueTexts(Files.readString(out.resolve(base + ".srt"))), base);
        }
        Path m4b = out.resolve("The Lighthouse.m4b");
        String chapters = run("ffprobe", "-v", "error", "-show_chapters", "-show_entries", "format_tags=title,artist", "-of", "compact", m4b.toString());
        assertEquals(BookFixtures.TITLES, chapters.lines().filter(l -> l.startsWith("chapter|")).map(l -> l.substring(l.indexOf("tag:title=") + 10)).toList(), chapters);
        assertTrue(chapters.contains("tag:artist=Ada Quill") && chapters.contains("tag:title=The Lighthouse"), chapters);
        String streams = run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name:stream_disposition=attached_pic", "-of", "compact", m4b.toString());
        assertTrue(streams.contains("codec_name=png") && streams.contains("attached_pic=1"), streams);
        assertTrue(listed.contains("The Lighthouse.m4b"), listed);

        // The project now holds the takes: a second run renders nothing and skips every chapter.
        assertEquals(6, ProjectStore.load(project).chapters().stream().mapToInt(c -> c.rendered().size()).sum());
        err[0] = NarrateCommandTest.stderrOf(() -> stdoutOf(() -> assertEquals(0, Main.run(render))));
        assertTrue(err[0].contains("done: 0 segment(s) rendered, 0 reused") && err[0].contains("up to date (skipped)"), err[0]);
        // A chapter whose file went missing is rebuilt from the takes, without rendering.
        Files.delete(out.resolve("02 - The Light.m4a"));
        err[0] = NarrateCommandTest.stderrOf(() -> stdoutOf(() -> assertEquals(0, Main.run(render))));
        assertTrue(err[0].contains("done: 0 segment(s) rendered, 2 reused"), err[0]);

        // Read-along: reads back as a book of the three chapters; every overlay points at a sentence span of its chapter.
        Path readAlong = out.resolve("The Lighthouse (read-along).epub");
        org.higgsnarrator.book.Book again = new org.higgsnarrator.book.BookReader().read(readAlong);
        assertEquals(BookFixtures.TITLES, again.chapters().stream().map(org.higgsnarrator.book.Book.Chapter::title).toList());
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(readAlong.toFile())) {
            String opf = new String(z.getInputStream(z.getEntry("OEBPS/content.opf")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(opf.contains("media-overlay=\"mo2\"") && opf.contains("media:active-class"), opf);
            String smil = new String(z.getInputStream(z.getEntry("OEBPS/chapter2.smil")).readAllBytes(), StandardCharsets.UTF_8);
            String xhtml = new String(z.getInputStream(z.getEntry("OEBPS/chapter2.xhtml")).readAllBytes(), StandardCharsets.UTF_8);
            var refs = java.util.regex.Pattern.compile("chapter2.xhtml#(s2-\\d+)").matcher(smil).results().map(m -> m.group(1)).toList();
            assertEquals(4, refs.size(), smil);
            for (String id : refs) assertTrue(xhtml.contains("id=\"" + id + "\""), id);
            assertTrue(xhtml.contains(">Its beam swept the sea.</span>"), xhtml);
            assertTrue(z.getEntry("OEBPS/audio/chapter2.mp3").getSize() > 0);
        }
    }

    /** Imports the book; short takes keep the tests fast (the random-weight model rarely stops on its own). */
    private static void importWithShortTakes(Path book, Path project) throws Exception {
        stdoutOf(() -> assertEquals(0, Main.run(new String[] {"import", book.toString(), "--out", project.toString()})));
        Project p = ProjectStore.load(project);
        var s = p.settings();
        ProjectStore.save(new Project(p.formatVersion(), p.title(), p.speakers(), p.voices(), p.chapters(),
                new Project.GenerationSettings(s.temperature(), s.topK(), s.topP(), s.rasWindow(), s.rasMaxRepeats(), 30, s.seed()), p.book(), p.lexicon()), project);
    }

    /**
     * A chapter's segments decoded together in one batch ({@code --segments-at-once}) give the files one at a time
     * gives, byte for byte, and the render says how many segments each decode step carried.
     */
    @Test
    void segmentsDecodedTogetherGiveTheFilesOneAtATimeGives() throws Exception {
        Path tiny = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");
        Path epub = BookFixtures.threeChapterEpub(dir.resolve("lighthouse.epub"));
        String[] errs = new String[2];
        for (int atOnce = 1; atOnce <= 2; atOnce++) {
            Path project = dir.resolve("at-once-" + atOnce).resolve("book.narrator");
            Files.createDirectories(project.getParent());
            importWithShortTakes(epub, project);
            String[] render = {"render", project.toString(), "--out", dir.resolve("out-" + atOnce).toString(), "--format", "wav", "--model", tiny.toString(),
                    "--device", "cpu", "--segments-at-once", String.valueOf(atOnce)};
            int i = atOnce - 1;
            stdoutOf(() -> errs[i] = NarrateCommandTest.stderrOf(() -> assertEquals(0, Main.run(render))));
            assertTrue(errs[i].contains("done: 6 segment(s) rendered, 0 reused") && errs[i].contains("segments decoded together: " + atOnce), errs[i]);
        }
        assertTrue(!errs[0].contains("segments per decode step"), "one at a time decodes no batch: " + errs[0]);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+\\.\\d+) segments per decode step").matcher(errs[1]);
        assertTrue(m.find() && Double.parseDouble(m.group(1)) > 1.2, "two segments of a chapter decoded side by side: " + errs[1]);
        for (int c = 0; c < 3; c++) {
            String wav = String.format("%02d - %s.wav", c + 1, BookFixtures.TITLES.get(c));
            assertArrayEquals(Files.readAllBytes(dir.resolve("out-1").resolve(wav)), Files.readAllBytes(dir.resolve("out-2").resolve(wav)), wav);
        }
    }

    private static List<String> cueTexts(String srt) {
        List<String> texts = new java.util.ArrayList<>();
        for (String block : srt.strip().split("\n\n")) {
            String[] lines = block.split("\n");
            assertTrue(lines[1].matches("\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}"), block);
            texts.add(String.join("\n", java.util.Arrays.copyOfRange(lines, 2, lines.length)));
        }
        return texts;
    }
}
