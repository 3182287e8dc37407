package org.higgsnarrator.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.PromptTokens;
import org.higgsnarrator.pkg.ModelPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long-form jobs on the bundled tiny package (real ORT sessions, real codec): one codec stream, KV reuse, checkpoints. */
class LongFormTest extends TinyNarratorFixture {
    static int k;

    @TempDir
    Path dir;

    @BeforeAll
    static void codebooks() {
        k = narrator.config().numCodebooks(); // after TinyNarratorFixture's load (superclass @BeforeAll runs first)
    }

    static final String DIALOGUE = """
            Alice: Where were you all night? We looked everywhere.
            Bob: Out by the river, watching the boats.

            The narrator says that the night was long, and that nobody slept

            Alice: Next time, tell someone.
            """;

    SynthesisRequest dialogue(GenerationOptions o) {
        Map<String, Voice> voices = new LinkedHashMap<>();
        voices.put("Alice", Voice.cloned("Alice", EngineFixtures.codes(k, 12, 1), "Hello there."));
        voices.put("Bob", Voice.cloned("Bob", EngineFixtures.codes(k, 9, 2), "Good morning."));
        return new SynthesisRequest(DIALOGUE, voices, List.of("Audio is recorded from a quiet room."), o);
    }

    /** Sampled, short chunks: every chunk has frames, some end on EOS, some at the limit. */
    static GenerationOptions options(long seed) {
        return GenerationOptions.defaults().withSeed(seed).withMaxFrames(40);
    }

    @Test
    void theJobsAudioIsOneDecodeOfAllItsCodes() {
        SynthesisResult r = narrator.synthesize(dialogue(options(1)), null);
        assertTrue(r.chunks().size() >= 4, r.chunks().size() + " chunks");
        assertTrue(r.chunks().stream().map(c -> c.chunk().speaker()).distinct().count() >= 3, "Alice, Bob and the narrator");
        int frames = r.chunks().stream().mapToInt(c -> c.codes()[0].length).sum();
        int[][] all = new int[k][frames];
        int at = 0;
        for (ChunkResult c : r.chunks()) {
            for (int q = 0; q < k; q++) System.arraycopy(c.codes()[q], 0, all[q], at, c.codes()[q].length);
            at += c.codes()[0].length;
        }
        ModelPackage pkg = ModelPackage.open(TINY, false);
        float[] whole;
        try (AudioCodec codec = AudioCodec.open(TINY, pkg.manifest(), (AudioCodec.Options) null)) {
            whole = codec.decode(all);
        }
        assertEquals(whole.length, r.pcm().length);
        double max = 0;
        for (int i = 0; i < whole.length; i++) max = Math.max(max, Math.abs(whole[i] - r.pcm()[i]));
        assertTrue(max <= 1e-6, "max |Δ| = " + max + " between the streamed job and one decode of all its codes");
    }

    @Test
    void theModelSeesExactlyTheRenderedConversationAndReusesItsPrefix() {
        GenerationOptions o = options(2).withChunkBufferSize(2);
        SynthesisRequest request = dialogue(o);
        SynthesisJob job = narrator.newJob(request);
        List<ScriptChunk> chunks = job.chunks();
        ConversationPlanner planner = new ConversationPlanner(request.voices(), request.scene(), chunks);
        List<ConversationPlanner.Generated> done = new ArrayList<>();
        List<PromptTokens> seen = new ArrayList<>(), rendered = new ArrayList<>();
        long[] reused = {0};
        job.run(new SynthesisListener() {
            int started = -1;

            @Override
            public void onProgress(Progress p) {
                if (p.chunk() == started) return;
                started = p.chunk();
                // the first frame of a chunk: its prompt was prefilled (plus K steps)
                List<ConversationPlanner.Generated> context = done.subList(Math.max(0, done.size() - 2), done.size());
                PromptTokens want = narrator.renderer().render(planner.conversation(chunks.get(p.chunk()), List.copyOf(context)));
                rendered.add(want);
                seen.add(job.session().seen());
                reused[0] = job.session().reusedPositions();
            }

            @Override
            public void onChunkDone(int index, ChunkResult result) {
                if (result.codes()[0].length > 0) done.add(new ConversationPlanner.Generated(planner.userText(result.chunk()), result.codes()));
            }
        });
        int audioOut = narrator.config().tokens().audioOut(), delay = narrator.config().tokens().audioDelay();
        assertEquals(chunks.size(), rendered.size());
        for (int c = 0; c < rendered.size(); c++) {
            PromptTokens want = rendered.get(c), got = seen.get(c);
            long[] ids = want.ids();
            assertTrue(got.ids().length >= ids.length, "chunk " + c);
            for (int i = 0; i < ids.length; i++) {
                long w = ids[i] == delay ? audioOut : ids[i]; // the model embeds both placeholders from the codes
                assertEquals(w, got.ids()[i], "chunk " + c + " position " + i);
            }
            for (int f = 0; f < want.audioFrames().length; f++) assertArrayEquals(want.audioFrames()[f], got.audioFrames()[f], "chunk " + c + " frame " + f);
        }
        // system + scene + both reference turns were prefilled once, then taken from the state by every later chunk
        assertTrue(reused[0] >= (long) (chunks.size() - 1) * (12 + 9 + 2 * (k + 1)), reused[0] + " positions reused");
    }

    @Test
    void aCheckpointedJobKeepsNoAudioInMemoryAndAResumeContinuesTheSameStream() throws Exception {
        GenerationOptions o = options(3);
        Path whole = dir.resolve("whole.parts"), cut = dir.resolve("cut.parts");
        SynthesisResult full;
        SynthesisJob first = narrator.newJob(dialogue(o));
        try (RenderCheckpoint cp = RenderCheckpoint.open(whole, first.fingerprint(), first.chunks().size(), false)) {
            full = first.run(null, cp);
        }
        assertEquals(0, full.pcm().length, "the audio went to disk, not into the result");
        float[] reference = floats(whole.resolve(RenderCheckpoint.AUDIO));

        // Stop after two chunks (a cancel at the third chunk's start), then resume in a new job.
        stopAtTheThirdChunk(narrator.newJob(dialogue(o)), cut);
        int[] resumedAt = {-1};
        SynthesisJob resumed = narrator.newJob(dialogue(o));
        try (RenderCheckpoint cp = RenderCheckpoint.open(cut, resumed.fingerprint(), resumed.chunks().size(), false)) {
            assertEquals(2, cp.done());
            resumed.run(new SynthesisListener() {
                @Override
                public void onResume(int done, int count) {
                    resumedAt[0] = done;
                }
            }, cp);
        }
        assertEquals(2, resumedAt[0]);
        float[] again = floats(cut.resolve(RenderCheckpoint.AUDIO));
        assertEquals(reference.length, again.length);
        assertArrayEquals(reference, again, "the resumed stream continues the first run's exactly");

        // --fresh: a different job (or fresh = true) starts over
        try (RenderCheckpoint cp = RenderCheckpoint.open(cut, resumed.fingerprint(), resumed.chunks().size(), true)) {
            assertEquals(0, cp.done());
            assertEquals(0, Files.size(cut.resolve(RenderCheckpoint.AUDIO)));
        }
    }

    /**
     * Retakes inside the job: flagged chunks are re-rendered before the next one, the kept takes stream to the
     * checkpoint like any job's (no audio in the result), a stop and a resume give the same audio as an
     * uninterrupted run, and a take that needed no retake is the first take of a plain job.
     */
    @Test
    void retakesStreamAndResume() throws Exception {
        GenerationOptions o = options(3).withMaxFrames(12); // short takes: most hit the frame limit and are flagged
        Path whole = dir.resolve("retakes.parts"), cut = dir.resolve("retakes-cut.parts");
        org.higgsnarrator.qa.Retakes judge = new org.higgsnarrator.qa.Retakes(new org.higgsnarrator.qa.TakeQa());
        SynthesisJob first = narrator.newJob(dialogue(o)).withRetakes(judge, 2);
        int[] retakes = {0};
        SynthesisResult full;
        try (RenderCheckpoint cp = RenderCheckpoint.open(whole, first.fingerprint(), first.chunks().size(), false)) {
            full = first.run(new SynthesisListener() {
                @Override
                public void onRetake(int index, int attempt, int maxRetakes, String reason) {
                    retakes[0]++;
                    assertTrue(!reason.isBlank(), "a retake says why");
                }
            }, cp);
        }
        int n = first.chunks().size();
        assertEquals(0, full.pcm().length, "the audio went to disk, not into the result");
        var report = judge.report("retakes");
        assertEquals(n, report.takes().size());
        assertTrue(retakes[0] > 0, "some take was flagged and re-rolled");
        assertEquals(retakes[0], report.retakes().stream().mapToInt(t -> t - 1).sum(), report.retakes().toString());
        assertTrue(report.retakes().stream().allMatch(t -> t >= 1 && t <= 3), report.retakes().toString());
        assertTrue(!narrator.newJob(dialogue(o)).fingerprint().equals(first.fingerprint()), "a job with retakes does not resume a plain job's checkpoint");
        float[] reference = floats(whole.resolve(RenderCheckpoint.AUDIO));

        stopAtTheThirdChunk(narrator.newJob(dialogue(o)).withRetakes(new org.higgsnarrator.qa.Retakes(new org.higgsnarrator.qa.TakeQa()), 2), cut);
        org.higgsnarrator.qa.Retakes second = new org.higgsnarrator.qa.Retakes(new org.higgsnarrator.qa.TakeQa());
        SynthesisJob resumed = narrator.newJob(dialogue(o)).withRetakes(second, 2);
        try (RenderCheckpoint cp = RenderCheckpoint.open(cut, resumed.fingerprint(), resumed.chunks().size(), false)) {
            assertEquals(2, cp.done());
            resumed.run(null, cp);
        }
        assertEquals(n - 2, second.judged(), "a resumed job judges only the chunks it renders");
        assertArrayEquals(reference, floats(cut.resolve(RenderCheckpoint.AUDIO)), "resumed with retakes = uninterrupted with retakes");

        // With no retake allowed, the kept take is the plain job's take.
        Path plain = dir.resolve("plain.parts"), none = dir.resolve("none.parts");
        SynthesisJob a = narrator.newJob(dialogue(o));
        try (RenderCheckpoint cp = RenderCheckpoint.open(plain, a.fingerprint(), a.chunks().size(), false)) {
            a.run(null, cp);
        }
        SynthesisJob b = narrator.newJob(dialogue(o)).withRetakes(new org.higgsnarrator.qa.Retakes(new org.higgsnarrator.qa.TakeQa()), 0);
        try (RenderCheckpoint cp = RenderCheckpoint.open(none, b.fingerprint(), b.chunks().size(), false)) {
            b.run(null, cp);
        }
        assertArrayEquals(floats(plain.resolve(RenderCheckpoint.AUDIO)), floats(none.resolve(RenderCheckpoint.AUDIO)));
    }

    /** Runs the job into the checkpoint folder and stops it after two chunks (a cancel at the third chunk's start). */
    static void stopAtTheThirdChunk(SynthesisJob job, Path parts) throws Exception {
        try (RenderCheckpoint cp = RenderCheckpoint.open(parts, job.fingerprint(), job.chunks().size(), false)) {
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class, () -> job.run(new SynthesisListener() {
                @Override
                public void onChunkStart(int index, int count, ScriptChunk chunk) {
                    if (index == 2) job.cancel();
                }
            }, cp));
        }
    }

    static float[] floats(Path f) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
