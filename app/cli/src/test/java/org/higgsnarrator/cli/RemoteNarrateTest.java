package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.serve.NarratorServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code narrate --server}: renders on {@code narrator serve} over the loopback equal local renders, and survive a server that stops. */
class RemoteNarrateTest {
    @TempDir
    static Path dir;
    static Narrator narrator;

    @BeforeAll
    static void load() {
        narrator = NarratorLoader.load(ServeFixture.tinyPackage(), Device.CPU);
    }

    @AfterAll
    static void close() {
        if (narrator != null) narrator.close();
    }

    static String narrate(String... argv) throws Exception {
        return NarrateCommandTest.stderrOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(argv, Main.FLAGS))));
    }

    static byte[] wavData(Path wav) throws Exception {
        byte[] b = Files.readAllBytes(wav);
        return java.util.Arrays.copyOfRange(b, 44, b.length);
    }

    @Test
    void oneChunkOnTheServerEqualsTheLocalRenderSampleForSample() throws Exception {
        Path script = Files.writeString(dir.resolve("one.txt"), "The quick brown fox jumps over the lazy dog.\n");
        Path local = dir.resolve("local.wav"), remote = dir.resolve("remote.wav");
        String tiny = ServeFixture.tinyPackage().toString();
        narrate(script.toString(), "--out", local.toString(), "--model", tiny, "--device", "cpu", "--seed", "5", "--max-frames", "40");
        try (NarratorServer server = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withApiKey("k"), null)) {
            String err = narrate(script.toString(), "--out", remote.toString(), "--seed", "5", "--max-frames", "40", "--server", server.uri().toString(),
                    "--api-key", "k");
            assertTrue(err.contains("chunk 1/1") && err.contains("→ " + server.uri()), err);
            // without the key the server refuses and the render says so
            var e = assertThrows(java.io.IOException.class, () -> new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--out",
                    dir.resolve("nokey.wav").toString(), "--server", server.uri().toString(), "--quiet"}, Main.FLAGS)));
            assertTrue(e.getMessage().contains("no render server is left") || e.getMessage().contains("401"), e.getMessage());
        }
        assertTrue(AudioReader.read(local).frames() > 0);
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(remote), "same WAV file, sample for sample");
    }

    /** --lexicon with --server: the rules are applied to the text sent, so the take equals the local one with the same rules (and differs without them). */
    @Test
    void aLexiconAppliesOnTheServerAsLocally() throws Exception {
        Path script = Files.writeString(dir.resolve("lex.txt"), "Hermione waved at the lazy dog.\n");
        Path lexicon = Files.writeString(dir.resolve("lex-rules.txt"), "Hermione = Her-my-oh-nee\n");
        Path local = dir.resolve("lex-local.wav"), remote = dir.resolve("lex-remote.wav"), plain = dir.resolve("lex-plain.wav");
        String[] common = {"--seed", "5", "--max-frames", "40", "--quiet"};
        List<String> argv = new ArrayList<>(List.of(script.toString(), "--out", local.toString(), "--model", ServeFixture.tinyPackage().toString(), "--device",
                "cpu", "--lexicon", lexicon.toString()));
        argv.addAll(List.of(common));
        narrate(argv.toArray(String[]::new));
        try (NarratorServer server = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny"), null)) {
            argv = new ArrayList<>(List.of(script.toString(), "--out", remote.toString(), "--server", server.uri().toString(), "--lexicon", lexicon.toString()));
            argv.addAll(List.of(common));
            narrate(argv.toArray(String[]::new));
            argv = new ArrayList<>(List.of(script.toString(), "--out", plain.toString(), "--server", server.uri().toString()));
            argv.addAll(List.of(common));
            narrate(argv.toArray(String[]::new));
        }
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(remote), "the rules travel: same take as the local render with them");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(remote), Files.readAllBytes(plain)), "and the rules changed what was read");
    }

    @Test
    void aServerStoppedPartWayLeavesItsWorkToTheOther() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 6; i++) text.append("This is paragraph number ").append(i).append(" of the book.\n\n");
        Path script = Files.writeString(dir.resolve("book.txt"), text);
        Path local = dir.resolve("book-local.wav"), remote = dir.resolve("book-remote.wav");
        String[] common = {"--seed", "9", "--max-frames", "24", "--context-chunks", "0"};
        List<String> argv = new ArrayList<>(List.of(script.toString(), "--out", local.toString(), "--model", ServeFixture.tinyPackage().toString(), "--device", "cpu"));
        argv.addAll(List.of(common));
        narrate(argv.toArray(String[]::new));

        AtomicBoolean stopping = new AtomicBoolean();
        NarratorServer[] b = new NarratorServer[1];
        try (NarratorServer a = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny"), null)) {
            // B stops right after answering its first chunk, while the render goes on.
            b[0] = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny"), line -> {
                if (line.contains("POST /v1/chat/completions 200") && stopping.compareAndSet(false, true)) {
                    Thread.ofPlatform().start(() -> b[0].close());
                }
            });
            argv = new ArrayList<>(List.of(script.toString(), "--out", remote.toString(), "--server", a.uri().toString(), "--server", b[0].uri().toString()));
            argv.addAll(List.of(common));
            String err = narrate(argv.toArray(String[]::new));
            assertTrue(stopping.get(), "B rendered a chunk and was stopped");
            assertTrue(err.contains("done on " + b[0].uri()), err);
            assertTrue(err.contains("done on " + a.uri()), err);
            assertTrue(err.contains("failed on " + b[0].uri()) && err.contains("goes back to the queue"), "B's next chunk failed and was re-queued: " + err);
            assertTrue(err.contains("wrote " + remote), err);
        } finally {
            if (b[0] != null) b[0].close();
        }
        // Chunks are independent (no context) and seeded seed + i wherever they run. Each server decodes its chunk on its
        // own, so the remote book is the chunks' audio joined, while a local job decodes all its codes as one codec
        // stream (docs/engine.md "Long form"), which differs within the decoder's context around each join. So the
        // remote book equals the paragraphs rendered locally one by one, and the local book has the same length.
        var options = NarrateCommand.options(Args.parse(common, Main.FLAGS), narrator.defaultOptions());
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (int i = 1; i <= 6; i++) {
            var r = narrator.synthesize(new org.higgsnarrator.engine.SynthesisRequest("This is paragraph number " + i + " of the book.\n", java.util.Map.of(),
                    NarrateCommand.scene(List.of()), options.withSeed(options.seed() + i - 1)), null); // narrate's default scene, as --server sends
            parts.add(r.pcm());
            total += r.pcm().length;
        }
        float[] joined = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, joined, at, p.length);
            at += p.length;
        }
        Path byChunk = dir.resolve("book-by-chunk.wav");
        NarrateCommand.write(byChunk, org.higgsnarrator.audio.AudioExporter.Format.WAV16, joined, narrator.sampleRate());
        assertArrayEquals(wavData(byChunk), wavData(remote));
        assertEquals(wavData(local).length, wavData(remote).length);

        // Two requests in flight on one server with two slots: the same book again, in order.
        Path twoSlots = dir.resolve("book-two-slots.wav");
        try (NarratorServer a = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withConcurrency(2, 2), null)) {
            argv = new ArrayList<>(List.of(script.toString(), "--out", twoSlots.toString(), "--server", a.uri().toString(), "--server-slots", "2", "--quiet"));
            argv.addAll(List.of(common));
            narrate(argv.toArray(String[]::new));
        }
        assertArrayEquals(wavData(byChunk), wavData(twoSlots));
    }
    /**
     * Issue 16, "renders stay resumable": a remote render stopped part-way (its thread interrupted, as a closed terminal
     * would stop it) keeps the chunks received in OUT.parts; the same command again sends only the others — with the
     * received chunks as their context — and writes the same file as an uninterrupted remote render.
     */
    @Test
    void anInterruptedRemoteRenderResumesFromTheChunksReceived() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 5; i++) text.append("Paragraph ").append(i).append(" of the chapter goes on for a while.\n\n");
        Path script = Files.writeString(dir.resolve("resume.txt"), text);
        Path whole = dir.resolve("resume-whole.wav"), cut = dir.resolve("resume-cut.wav");
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] renderer = new Thread[1];
        try (NarratorServer server = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny"), line -> {
            if (line.contains("POST /v1/chat/completions 200") && answered.incrementAndGet() == 2 && renderer[0] != null) renderer[0].interrupt();
        })) {
            String url = server.uri().toString();
            // the reference: uninterrupted (context chunks 2, the default: each chunk carries the audio of the two before)
            narrate(script.toString(), "--out", whole.toString(), "--server", url, "--seed", "4", "--max-frames", "30", "--quiet");
            int total = answered.getAndSet(0);
            assertEquals(5, total);

            Throwable[] stopped = new Throwable[1];
            renderer[0] = Thread.ofPlatform().start(() -> {
                try {
                    new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--out", cut.toString(), "--server", url, "--seed", "4",
                            "--max-frames", "30", "--quiet"}, Main.FLAGS));
                } catch (Throwable e) {
                    stopped[0] = e;
                }
            });
            renderer[0].join(120_000);
            assertTrue(stopped[0] instanceof InterruptedException || stopped[0] instanceof java.util.concurrent.CancellationException, String.valueOf(stopped[0]));
            assertFalse(Files.exists(cut), "no output before every chunk is there");
            Path parts = org.higgsnarrator.engine.RenderCheckpoint.folderFor(cut);
            long kept;
            try (var f = Files.list(parts)) {
                kept = f.filter(x -> x.getFileName().toString().matches("remote-\\d+\\.wav")).count();
            }
            assertTrue(kept >= 1 && kept < total, kept + " chunks kept");

            // a chunk request the interrupted client gave up on is still generated to its end: its answer must not
            // count as the resumed render's
            long idleBy = System.nanoTime() + 60_000_000_000L;
            while (server.requestsInFlight() > 0 && System.nanoTime() < idleBy) Thread.sleep(10);
            assertEquals(0, server.requestsInFlight(), "the abandoned request ended");
            answered.set(0);
            renderer[0] = null;
            String err = narrate(script.toString(), "--out", cut.toString(), "--server", url, "--seed", "4", "--max-frames", "30");
            assertTrue(err.contains("resuming: " + kept + " of " + total + " chunks already received"), err);
            assertEquals(total - kept, answered.get(), "only the chunks not received were sent: " + err);
            assertFalse(Files.exists(parts), "the kept chunks are removed once the file is written");
        }
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(cut), "the resumed render is the uninterrupted one");
    }
}
