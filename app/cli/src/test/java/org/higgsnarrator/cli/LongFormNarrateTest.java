package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.higgsnarrator.engine.RenderCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code narrate} on long scripts, as a user runs it, on the bundled tiny package: a read-only output folder fails
 * before the model loads; a render killed with SIGTERM resumes and keeps its first chunks sample for sample; a small
 * heap renders many chunks (the audio streams to disk).
 */
class LongFormNarrateTest {
    static final Path TINY = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");

    @TempDir
    Path dir;

    String[] narrate(Path script, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(script.toString(), "--out", out.toString(), "--model", TINY.toString(), "--device", "cpu"));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    /**
     * Tests run as root, which ignores permission bits, so the folder is made immutable with {@code chattr +i} (which
     * holds for root); where the file system has no such attribute, {@code /sys/kernel} (sysfs: root cannot create
     * files there) stands in.
     */
    @Test
    void aReadOnlyOutputFolderFailsWithinSecondsNamingTheFolder() throws Exception {
        Path script = Files.writeString(dir.resolve("s.txt"), "One short paragraph.\n");
        Path locked = Files.createDirectories(dir.resolve("locked"));
        boolean immutable = new ProcessBuilder("chattr", "+i", locked.toString()).redirectErrorStream(true).start().waitFor() == 0;
        Path folder = immutable ? locked : Path.of("/sys/kernel");
        try {
            long t0 = System.nanoTime();
            var e = assertThrows(IllegalArgumentException.class, () -> new NarrateCommand().run(Args.parse(narrate(script, folder.resolve("book.wav")), Main.FLAGS)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains("output folder " + folder) && e.getMessage().contains("writable"), e.getMessage());
            assertTrue(seconds < 5, "failed after " + seconds + " s: the folder must be checked before the model loads");
        } finally {
            if (immutable) new ProcessBuilder("chattr", "-i", locked.toString()).start().waitFor();
        }
    }

    /** Ten paragraphs of a few sentences; chunks of at most 60 frames. */
    Path tenParagraphs() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int p = 1; p <= 10; p++) sb.append("Paragraph ").append(p).append(" begins here. It goes on for a while, and then it ends.\n\n");
        return Files.writeString(dir.resolve("chapter.txt"), sb.toString());
    }

    static final String[] OPTIONS = {"--seed", "7", "--max-frames", "60"};

    @Test
    void aKilledRenderResumesWhereItStoppedAndKeepsItsFirstChunks() throws Exception {
        Path script = tenParagraphs();
        // the uninterrupted run
        Path whole = dir.resolve("whole.wav");
        long t0 = System.nanoTime();
        NarrateCommandTest.stderrOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(narrate(script, whole, OPTIONS), Main.FLAGS))));
        double fullSeconds = (System.nanoTime() - t0) / 1e9;

        // the same command in its own JVM, sent SIGTERM once the fifth chunk starts
        Path out = dir.resolve("book.wav");
        Process p = fork(List.of(), narrate(script, out, OPTIONS));
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                if (line.startsWith("chunk 5/10")) {
                    p.destroy(); // SIGTERM
                    break;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(Files.exists(out), "no output before the render is complete");
        Path parts = RenderCheckpoint.folderFor(out);
        RenderCheckpoint.Status kept = RenderCheckpoint.status(parts);
        assertTrue(kept.chunks() >= 4 && kept.chunks() < 10, kept.chunks() + " chunks kept");

        // the same command again: resumes, renders only the rest
        long t1 = System.nanoTime();
        String log = NarrateCommandTest.stderrOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(narrate(script, out, OPTIONS), Main.FLAGS))));
        double resumeSeconds = (System.nanoTime() - t1) / 1e9;
        assertTrue(log.contains("resuming: " + kept.chunks() + " of 10 chunks already rendered"), log);
        long rendered = log.lines().filter(l -> l.startsWith("chunk ")).count();
        assertEquals(10 - kept.chunks(), rendered, "finished chunks are never rendered again:\n" + log);
        assertFalse(Files.exists(parts), "the checkpoint goes once the output is complete");
        System.out.printf("uninterrupted %.1f s; resumed after %d chunks: %.1f s%n", fullSeconds, kept.chunks(), resumeSeconds);

        short[] a = samples(whole), b = samples(out);
        assertEquals(a.length, b.length);
        assertTrue(kept.samples() > 0);
        assertArrayEquals(Arrays.copyOf(a, (int) kept.samples()), Arrays.copyOf(b, (int) kept.samples()),
                "the chunks rendered before the kill are sample-identical to the uninterrupted run");
    }

    /**
     * 150 chunks in a JVM with a 64 MB heap: the audio streams to the checkpoint folder and the output is written from
     * there (WAV streamed), so nothing the size of the book is held. (A 400-chunk, 736 s render at -Xmx64m, whose float
     * PCM alone would be 70 MB, is measured in docs/engine.md; too slow for the suite on a loaded 2-core machine.)
     */
    @Test
    void manyChunksInASmallHeap() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < 150; p++) sb.append("Line ").append(p).append(" of the book.\n\n");
        Path script = Files.writeString(dir.resolve("book.txt"), sb.toString());
        Path out = dir.resolve("book.wav");
        Process p = fork(List.of("-Xmx64m"), narrate(script, out, "--max-frames", "24", "--quiet"));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertTrue(samples(out).length >= 150 * 8 * 960, "audio of every chunk");
    }

    static Process fork(List<String> jvm, String[] args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        // -Xss4m as ./narrator starts Java: with the default 1 MB main-thread stack ONNX Runtime's model load can
        // overflow it and the JVM dies with a segfault (exit 139)
        cmd.addAll(List.of("-Xss4m", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                "org.higgsnarrator.cli.Main", "narrate"));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static short[] samples(Path wav) throws Exception {
        byte[] b = Files.readAllBytes(wav);
        short[] s = new short[(b.length - 44) / 2];
        java.nio.ByteBuffer.wrap(b, 44, b.length - 44).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }
}
