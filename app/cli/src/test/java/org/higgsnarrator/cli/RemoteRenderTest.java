package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.engine.SynthesisRequest;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.serve.NarratorServer;
import org.higgsnarrator.ui.script.ScriptParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code render --server URL --api-key KEY}: an imported three-chapter EPUB rendered on a real {@code narrator serve}
 * (the bundled package) over loopback HTTP: chapter files and captions written here, one request per segment, each
 * take equal to the local engine's render of the same request; a second run sends nothing; a wrong key and
 * pronunciation rules are refused before anything renders.
 */
class RemoteRenderTest {
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

    static String render(String... argv) throws Exception {
        return NarrateCommandTest.stderrOf(() -> BookCommandsTest.stdoutOf(() -> assertEquals(0, new RenderCommand().run(Args.parse(argv, Main.FLAGS)))));
    }

    @Test
    void rendersTheBookOnAServerOverLoopbackHttp() throws Exception {
        Path epub = BookFixtures.threeChapterEpub(dir.resolve("lighthouse.epub"));
        Path project = dir.resolve("book.narrator");
        BookCommandsTest.stdoutOf(() -> assertEquals(0, Main.run(new String[] {"import", epub.toString(), "--out", project.toString()})));
        Project p = ProjectStore.load(project);
        var s = p.settings();
        ProjectStore.save(new Project(p.formatVersion(), p.title(), p.speakers(), p.voices(), p.chapters(),
                new Project.GenerationSettings(s.temperature(), s.topK(), s.topP(), s.rasWindow(), s.rasMaxRepeats(), 20, s.seed()), p.book(), p.lexicon()), project);
        Path out = dir.resolve("audiobook");
        AtomicInteger posts = new AtomicInteger();
        try (NarratorServer server = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withApiKey("k"), line -> {
            if (line.contains("POST /v1/chat/completions 200")) posts.incrementAndGet();
        })) {
            String url = server.uri().toString();
            String err = render(project.toString(), "--out", out.toString(), "--format", "wav", "--captions", "srt", "--server", url, "--api-key", "k");
            assertTrue(err.contains("rendering on 1 server(s) serving 'tiny'") && err.contains("done: 6 segment(s) rendered, 0 reused"), err);
            assertEquals(6, posts.get(), "one request per segment");
            for (int i = 0; i < 3; i++) {
                String base = String.format("%02d - %s", i + 1, BookFixtures.TITLES.get(i));
                assertTrue(AudioReader.read(out.resolve(base + ".wav")).frames() > 0, base);
                List<String> expected = new ArrayList<>(List.of(BookFixtures.TITLES.get(i)));
                expected.addAll(BookFixtures.SENTENCES.get(i));
                String srt = Files.readString(out.resolve(base + ".srt"));
                for (int k = 1; k < expected.size(); k++) assertTrue(srt.indexOf(expected.get(k - 1)) < srt.indexOf(expected.get(k)), srt);
            }

            // Each take is what the local engine renders for the same request (one chunk: sample for sample, up to the
            // 16-bit WAV that carries it back).
            Project done = ProjectStore.load(project);
            Project.Chapter first = done.chapters().getFirst();
            assertEquals(2, first.rendered().size());
            Project.Take take = first.rendered().getFirst().chosen();
            assertEquals("tiny", take.model());
            String text = ScriptParser.parse(first.script()).getFirst().text();
            var local = narrator.synthesize(new SynthesisRequest(text, Map.of(), List.of(first.scene().strip()), done.settings().toOptions(take.seed())), null);
            float[] remote = AudioReader.read(ProjectStore.assetsDir(project).resolve(take.file())).samples();
            assertEquals(local.pcm().length, remote.length);
            for (int i = 0; i < remote.length; i++) assertEquals(local.pcm()[i], remote[i], 2.0 / 32768, "sample " + i);

            // Resumable: a second run finds every take and every chapter file, and sends nothing.
            err = render(project.toString(), "--out", out.toString(), "--format", "wav", "--captions", "srt", "--server", url, "--api-key", "k");
            assertTrue(err.contains("done: 0 segment(s) rendered, 0 reused"), err);
            assertEquals(6, posts.get());

            // A wrong key: refused before anything renders, naming the server.
            var e = assertThrows(java.io.IOException.class, () -> new RenderCommand().run(Args.parse(new String[] {project.toString(), "--out",
                    dir.resolve("nokey").toString(), "--server", url, "--api-key", "wrong"}, Main.FLAGS)));
            assertTrue(e.getMessage().contains("no render server can be used") && e.getMessage().contains(url), e.getMessage());
            assertTrue(!Files.exists(dir.resolve("nokey")));
            // Pronunciation rules apply on servers as locally: a rule that changes chapter 1's heading makes its segment out
            // of date; the new take is the local render of that request with the rule (and not the take without it).
            Path lex = Files.writeString(dir.resolve("names.txt"), "Storm = Starm\n");
            err = render(project.toString(), "--out", out.toString(), "--format", "wav", "--captions", "srt", "--server", url, "--api-key", "k",
                    "--lexicon", lex.toString());
            assertTrue(err.contains("done: 1 segment(s) rendered, 1 reused"), err); // chapters 2 and 3 are up to date
            assertEquals(7, posts.get());
            Project ruled = ProjectStore.load(project);
            assertEquals(1, ruled.lexicon().size());
            Project.RenderedSegment starm = ruled.chapters().getFirst().rendered().getLast();
            Project.Take t2 = starm.chosen();
            var withRule = narrator.synthesize(new SynthesisRequest(text, Map.of(), List.of(first.scene().strip()), done.settings().toOptions(t2.seed()))
                    .withLexicon(new org.higgsnarrator.lexicon.Lexicon(ruled.lexicon())), null);
            float[] remote2 = AudioReader.read(ProjectStore.assetsDir(project).resolve(t2.file())).samples();
            assertEquals(withRule.pcm().length, remote2.length);
            for (int i = 0; i < remote2.length; i++) assertEquals(withRule.pcm()[i], remote2[i], 2.0 / 32768, "sample " + i);
            var without = narrator.synthesize(new SynthesisRequest(text, Map.of(), List.of(first.scene().strip()), done.settings().toOptions(t2.seed())), null);
            assertTrue(!java.util.Arrays.equals(without.pcm(), withRule.pcm()), "the rule changes what the model reads");
        }
    }

    @Test
    void twoServersShareTheSegmentsAndTheFilesAreTheSameAsOnOne() throws Exception {
        Path epub = BookFixtures.threeChapterEpub(dir.resolve("two.epub"));
        Path one = dir.resolve("two/one.narrator"), two = dir.resolve("two/two.narrator");
        Files.createDirectories(one.getParent());
        BookCommandsTest.stdoutOf(() -> assertEquals(0, Main.run(new String[] {"import", epub.toString(), "--out", one.toString()})));
        Project p = ProjectStore.load(one);
        var s = p.settings();
        ProjectStore.save(new Project(p.formatVersion(), p.title(), p.speakers(), p.voices(), p.chapters(),
                new Project.GenerationSettings(s.temperature(), s.topK(), s.topP(), s.rasWindow(), s.rasMaxRepeats(), 20, s.seed()), p.book(), p.lexicon()), one);
        BookCommandsTest.stdoutOf(() -> assertEquals(0, Main.run(new String[] {"import", epub.toString(), "--out", two.toString()})));
        ProjectStore.save(ProjectStore.load(one), two);
        AtomicInteger postsA = new AtomicInteger(), postsB = new AtomicInteger();
        try (NarratorServer a = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny"), line -> {
                if (line.contains("POST /v1/chat/completions 200")) postsA.incrementAndGet();
            });
             NarratorServer b = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny"), line -> {
                if (line.contains("POST /v1/chat/completions 200")) postsB.incrementAndGet();
            })) {
            render(one.toString(), "--out", dir.resolve("two/out-one").toString(), "--format", "wav", "--server", a.uri().toString());
            assertEquals(6, postsA.get());
            postsA.set(0);
            String err = render(two.toString(), "--out", dir.resolve("two/out-two").toString(), "--format", "wav", "--server", a.uri().toString(),
                    "--server", b.uri().toString());
            assertTrue(err.contains("done: 6 segment(s) rendered"), err);
            assertEquals(6, postsA.get() + postsB.get());
            assertTrue(postsA.get() > 0 && postsB.get() > 0, "both servers rendered: " + postsA + " + " + postsB);
        }
        // Segments rendered at once are stored in order: the chapter files are those of the one-server render.
        for (int i = 0; i < 3; i++) {
            String name = String.format("%02d - %s.wav", i + 1, BookFixtures.TITLES.get(i));
            org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(dir.resolve("two/out-one").resolve(name)),
                    Files.readAllBytes(dir.resolve("two/out-two").resolve(name)), name);
        }
    }
}
