package org.higgsnarrator.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.decode.RecordedLogitsModel;
import org.junit.jupiter.api.Test;

/** The engine's job orchestration: streaming, progress, cancellation, long-form context. */
class SynthesisJobTest {
    static final int RATE = 24000, HOP = 960;

    final RecordedLogitsModel model = RecordedLogitsModel.ofKitCase("plain");
    final EngineFixtures.RecordingRenderer renderer = new EngineFixtures.RecordingRenderer(model.config());
    final EngineFixtures.HopDecoder decoder = new EngineFixtures.HopDecoder(RATE, HOP);
    final Narrator narrator = new Narrator(model, renderer, decoder, null, new ChapterSplitter());
    final int steps = model.recordedSteps();
    final int k = model.config().numCodebooks();
    /** Greedy replay of the recording: each chunk runs all recorded steps (no EOS within them). */
    final GenerationOptions options = GenerationOptions.greedyReference().withMaxFrames(steps);
    /** Reverted, minus the BOS frame and the last frame: narration keeps [1:-1] at a frame limit too (generation.py L357). */
    final int framesPerChunk = steps - k + 1 - 2;

    SynthesisRequest request(String script, Map<String, Voice> voices, GenerationOptions o) {
        return new SynthesisRequest(script, voices, List.of("Audio is recorded from a quiet room."), o);
    }

    @Test
    void streamsAudioWhileGeneratingAndReportsProgress() {
        List<String> events = new ArrayList<>();
        List<float[]> streamed = new ArrayList<>();
        List<Progress> progress = new ArrayList<>();
        SynthesisResult r = narrator.synthesize(request("First paragraph here.\n\nSecond one.", Map.of(), options), new SynthesisListener() {
            @Override
            public void onChunkStart(int index, int count, ScriptChunk chunk) {
                events.add("start" + index);
            }

            @Override
            public void onAudio(float[] samples, int sampleRate) {
                assertEquals(RATE, sampleRate);
                streamed.add(samples);
                events.add("audio");
            }

            @Override
            public void onProgress(Progress p) {
                progress.add(p);
            }

            @Override
            public void onChunkDone(int index, ChunkResult result) {
                events.add("done" + index);
            }
        });
        assertEquals(2, r.chunks().size());
        assertEquals(2L * framesPerChunk * HOP, r.pcm().length);
        // audio arrives frame by frame, before each chunk is done
        assertEquals("start0", events.getFirst());
        assertTrue(events.indexOf("audio") < events.indexOf("done0"));
        assertTrue(streamed.size() >= 2 * (framesPerChunk - 1), streamed.size() + " audio deliveries");
        float[] joined = new float[r.pcm().length];
        int at = 0;
        for (float[] s : streamed) {
            System.arraycopy(s, 0, joined, at, s.length);
            at += s.length;
        }
        assertArrayEquals(r.pcm(), joined, "the streamed audio is the result's audio");
        // the first chunk's audio is what its codes decode to
        for (var c : r.chunks()) assertEquals(GenerationResult.Stop.FRAME_LIMIT, c.stop());
        assertEquals(framesPerChunk, r.chunks().getFirst().codes()[0].length);

        for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i).frames() >= progress.get(i - 1).frames());
        for (Progress p : progress) assertTrue(p.etaSeconds() >= 0, "an ETA from the first frame on (a prior speaking rate until a chunk ends)");
        Progress last = progress.getLast();
        assertEquals(2L * framesPerChunk, last.frames());
        assertEquals(2.0 * framesPerChunk * HOP / RATE, last.audioSeconds(), 1e-9);
        assertTrue(last.realTime() > 0);
        assertEquals(0, last.etaSeconds(), 1e-9);
        assertEquals(0, model.openStates);
        assertEquals(0, decoder.openStreams);
    }

    @Test
    void cancellingFromTheListenerStopsBeforeTheNextStep() {
        SynthesisJob job = narrator.newJob(request("One.\n\nTwo.\n\nThree.", Map.of(), options));
        int cancelAt = 5;
        long[] framesSeen = {0};
        assertThrows(CancellationException.class, () -> job.run(new SynthesisListener() {
            @Override
            public void onProgress(Progress p) {
                framesSeen[0] = p.frames();
                if (p.frames() == cancelAt) job.cancel();
            }
        }));
        assertEquals(cancelAt, framesSeen[0], "no frame after the cancel");
        assertEquals(cancelAt, job.progress().frames());
        // final frame m (1-based; reverted frame 0 is the dropped BOS frame) completes at step m+K−1 and is handed out
        // one step later (the reverter holds one frame back): steps 0…m+K−1 were fed, none after the cancel
        assertEquals(cancelAt + k, model.fedFrames.size());
        assertEquals(1, model.prefillIds.size(), "later chunks never started");
        assertEquals(0, model.openStates, "the KV state is released");
        assertEquals(0, decoder.openStreams);
        assertThrows(IllegalStateException.class, () -> job.run(null), "a job runs once");
    }

    @Test
    void cancellingFromAnotherThread() throws Exception {
        SynthesisJob job = narrator.newJob(request("One.\n\nTwo.", Map.of(), options));
        CountDownLatch generating = new CountDownLatch(1), cancelled = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                job.run(new SynthesisListener() {
                    @Override
                    public void onProgress(Progress p) {
                        if (p.frames() == 3) {
                            generating.countDown();
                            try {
                                assertTrue(cancelled.await(10, TimeUnit.SECONDS));
                            } catch (InterruptedException e) {
                                throw new RuntimeException(e);
                            }
                        }
                    }
                });
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        assertTrue(generating.await(10, TimeUnit.SECONDS));
        job.cancel();
        cancelled.countDown();
        t.join(10_000);
        assertInstanceOf(CancellationException.class, outcome.get());
        assertTrue(job.isCancelled());
        assertTrue(model.fedFrames.size() < steps - 1, "stopped mid-chunk");
        assertEquals(0, model.openStates);
    }

    @Test
    void longFormPromptsCarryReferencesAndTheLastChunksAsContext() {
        int[][] aliceClip = EngineFixtures.codes(k, 12, 1), bobClip = EngineFixtures.codes(k, 9, 2);
        Map<String, Voice> voices = new LinkedHashMap<>();
        voices.put("Alice", Voice.cloned("Alice", aliceClip, "Hello there."));
        voices.put("Bob", Voice.cloned("Bob", bobClip, "Good morning."));
        String script = "Alice: Where were you?\nBob: Out.\n\nAlice: Out where?\n\nBob: Just out.";
        SynthesisResult r = narrator.synthesize(request(script, voices, options.withChunkBufferSize(2)), null);
        assertEquals(4, r.chunks().size());
        assertEquals(4, renderer.rendered.size());

        Conversation last = renderer.rendered.getLast();
        assertEquals(ConversationPlanner.SYSTEM, last.system());
        assertEquals(List.of("Audio is recorded from a quiet room."), last.scene());
        List<Conversation.Message> m = last.messages();
        assertEquals(2 * 2 + 2 * 2 + 1, m.size(), "2 reference pairs, 2 buffered chunk pairs, the new chunk");
        assertEquals(new Conversation.UserText("[SPEAKER0] Hello there."), m.get(0));
        assertArrayEquals(aliceClip, ((Conversation.AssistantAudio) m.get(1)).codes());
        assertEquals(new Conversation.UserText("[SPEAKER1] Good morning."), m.get(2));
        assertArrayEquals(bobClip, ((Conversation.AssistantAudio) m.get(3)).codes());
        assertEquals(new Conversation.UserText("[SPEAKER1] Out."), m.get(4), "chunk 0 fell out of the 2-chunk buffer");
        assertArrayEquals(r.chunks().get(1).codes(), ((Conversation.AssistantAudio) m.get(5)).codes(), "context is the generated codes");
        assertEquals(new Conversation.UserText("[SPEAKER0] Out where?"), m.get(6));
        assertArrayEquals(r.chunks().get(2).codes(), ((Conversation.AssistantAudio) m.get(7)).codes());
        assertEquals(new Conversation.UserText("[SPEAKER1] Just out."), m.get(8));

        // the model received those codes as framed, delayed prompt frames (one per audio position)
        long[] ids = model.prefillIds.getLast();
        int expectFrames = 0;
        for (int[][] c : List.of(aliceClip, bobClip, r.chunks().get(1).codes(), r.chunks().get(2).codes())) expectFrames += c[0].length + 2 + k - 1;
        assertEquals(expectFrames, model.prefillFrames.getLast().length);
        assertEquals(model.config().tokens().audioOutBos(), ids[ids.length - 1]);
    }

    @Test
    void noContextWhenTheBufferIsZero() {
        narrator.synthesize(request("One.\n\nTwo.", Map.of(), options.withChunkBufferSize(0)), null);
        assertEquals(1, renderer.rendered.getLast().messages().size());
        assertEquals(0, model.prefillFrames.getLast().length);
    }

    @Test
    void severalSpeakersWithoutVoicesGetTheReleaseMultiSpeakerPrompt() {
        // No voices at all, and a voice that names nobody in the script: both leave the speakers to the model.
        for (Map<String, Voice> voices : List.of(Map.<String, Voice>of(), Map.of("Carol", Voice.described("Carol", "Female.")))) {
            narrator.synthesize(request("Ann: Hi.\n\n[SPEAKER3] Hello.", voices, options.withChunkBufferSize(0)), null);
            Conversation c = renderer.rendered.getLast();
            assertEquals(ConversationPlanner.MULTI_SPEAKER_SYSTEM, c.system());
            // Alternating over the speakers in slot order, labelled with their slots (Ann takes the free slot 0).
            assertEquals(List.of("Audio is recorded from a quiet room.", "SPEAKER0: feminine", "SPEAKER3: masculine"), c.scene());
            assertEquals(List.of(new Conversation.UserText("[SPEAKER3] Hello.")), c.messages());
        }
    }

    @Test
    void voicesMatchSpeakersByNameOrTagAndUnassignedSpeakersKeepTheirTag() {
        int[][] clip = EngineFixtures.codes(k, 6, 3);
        Map<String, Voice> voices = new LinkedHashMap<>();
        voices.put("SPEAKER1", Voice.cloned("SPEAKER1", clip, "Reference words."));
        voices.put("Ann", Voice.described("Ann", "Female, calm."));
        narrator.synthesize(request("[SPEAKER1] One.\nAnn: Two.\nBen: Three.", voices, options.withChunkBufferSize(0)), null);
        Conversation c = renderer.rendered.getLast();
        assertEquals(ConversationPlanner.SYSTEM, c.system(), "a speaker with a voice: not the default-cast prompt");
        assertEquals(List.of("Audio is recorded from a quiet room.", "SPEAKER0: Female, calm."), c.scene());
        // Ann is described, so every voice goes into the system message, as Boson's example does (examples/generation.py
        // L399-425): SPEAKER1's clip in the scene block, no reference turns (L446)
        assertEquals(1, c.sceneClips().size());
        assertEquals(1, c.sceneClips().getFirst().speaker());
        assertArrayEquals(clip, c.sceneClips().getFirst().codes());
        assertEquals(List.of(new Conversation.UserText("[SPEAKER2] Three.")), c.messages(), "Ben has no voice: the model picks one for his tag");
    }

    @Test
    void untaggedTextUsesTheNarratorVoiceOrTheOnlyVoice() {
        int[][] clip = EngineFixtures.codes(k, 6, 4);
        narrator.synthesize(request("Just narration.", Map.of("Reader", Voice.cloned("Reader", clip, "Reference.")), options), null);
        List<Conversation.Message> m = renderer.rendered.getLast().messages();
        assertEquals(List.of(new Conversation.UserText("Reference."), m.get(1), new Conversation.UserText("Just narration.")), m);
        assertArrayEquals(clip, ((Conversation.AssistantAudio) m.get(1)).codes());

        // With speakers, the narration is a speaker of its own (next free slot) read by the voice named "narrator".
        Map<String, Voice> voices = new LinkedHashMap<>();
        voices.put(Voice.NARRATOR, Voice.described(Voice.NARRATOR, "Male, deep."));
        voices.put("Ann", Voice.described("Ann", "Female."));
        narrator.synthesize(request("Ann: Hi.\n\nShe left.", voices, options), null);
        Conversation c = renderer.rendered.getLast();
        assertEquals(List.of("Audio is recorded from a quiet room.", "SPEAKER0: Female.", "SPEAKER1: Male, deep."), c.scene());
        assertEquals(new Conversation.UserText("[SPEAKER1] She left."), c.messages().getLast());
    }

    /** The recorded model under a smaller context (a package exported with a small --max-context). */
    static AudioLanguageModel withContext(AudioLanguageModel m, int maxPositions) {
        return new AudioLanguageModel() {
            public org.higgsnarrator.config.ModelConfig config() {
                return m.config();
            }

            public State newState(int n) {
                if (n > maxPositions) throw new IllegalArgumentException("KV cache of " + n + " positions requested; this package supports 1.." + maxPositions);
                return m.newState(n);
            }

            public float[][] prefill(State st, long[] ids, int[][] frames, int lastN) {
                return m.prefill(st, ids, frames, lastN);
            }

            public float[] step(State st, int[] frame) {
                return m.step(st, frame);
            }

            @Override
            public int maxPositions() {
                return maxPositions;
            }

            public void close() {}
        };
    }

    List<String> notes = new ArrayList<>();
    final SynthesisListener noting = new SynthesisListener() {
        @Override
        public void onNote(String message) {
            notes.add(message);
        }
    };

    @Test
    void chunksThatWouldPassTheContextDropTheOldestContextThenShortenTheBudgetAndNeverFail() {
        String script = "One.\n\nTwo.\n\nThree.\n\nFour.";
        // unconstrained: prompt lengths with 0, 1 and 2 buffered chunks
        narrator.synthesize(request(script, Map.of(), options.withChunkBufferSize(2)), null);
        int with0 = model.prefillIds.get(0).length, with1 = model.prefillIds.get(1).length, with2 = model.prefillIds.get(2).length;
        assertTrue(with0 < with1 && with1 < with2);

        // room for one buffered chunk and a full budget: chunks 3 and 4 drop the oldest, and say so
        Narrator small = new Narrator(withContext(model, with1 + steps), renderer, decoder, null, new ChapterSplitter());
        model.prefillIds.clear();
        SynthesisResult r = small.newJob(request(script, Map.of(), options.withChunkBufferSize(2))).run(noting);
        assertEquals(4, r.chunks().size());
        assertEquals(List.of(with0, with1, with1, with1), model.prefillIds.stream().map(ids -> ids.length).toList(),
                "chunks 3 and 4 carry one previous chunk");
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.getFirst().contains("chunk 3: context cut to 1 previous chunk(s) (the oldest 1 dropped)"), notes.getFirst());

        // no room even without context: the frame budget is cut, the chunk still renders
        notes.clear();
        Narrator tiny = new Narrator(withContext(model, with0 + steps - 5), renderer, decoder, null, new ChapterSplitter());
        r = tiny.newJob(request("One.", Map.of(), options.withChunkBufferSize(2))).run(noting);
        assertEquals(GenerationResult.Stop.FRAME_LIMIT, r.chunks().getFirst().stop());
        assertEquals(steps - 5 - k - 1, r.chunks().getFirst().codes()[0].length); // [1:-1], as framesPerChunk
        assertTrue(notes.getFirst().contains("frame budget cut from " + steps + " to " + (steps - 5) + " frames"), notes.toString());

        // a prompt that leaves no room for even an empty clip: one sentence saying what to change
        Narrator none = new Narrator(withContext(model, with0 + k), renderer, decoder, null, new ChapterSplitter());
        var e = assertThrows(IllegalStateException.class, () -> none.synthesize(request("One.", Map.of(), options), null));
        assertTrue(e.getMessage().contains("--max-context") && e.getMessage().contains("--chunk-words"), e.getMessage());
    }

    @Test
    void carryOverKeepsEveryChunkUntilTheBudgetThenReBasesToTheLastOne() {
        String script = "One.\n\nTwo.\n\nThree.\n\nFour.";
        narrator.synthesize(request(script, Map.of(), options.withChunkBufferSize(2)), null);
        int with2 = model.prefillIds.get(2).length;
        model.prefillIds.clear();
        renderer.rendered.clear();
        SynthesisJob job = narrator.newJob(request(script, Map.of(), options.withChunkBufferSize(0).withContextTokens(with2)));
        job.run(null);
        // chunk 3 carries chunks 1 and 2 (bufferSize 0 is not used by carry-over); chunk 4's three would pass the budget
        assertEquals(5, renderer.rendered.get(2).messages().size());
        assertEquals(1, job.rebases());
        List<Conversation.Message> last = renderer.rendered.getLast().messages();
        assertEquals(List.of(new Conversation.UserText("Three."), last.get(1), new Conversation.UserText("Four.")), last);
    }
}
