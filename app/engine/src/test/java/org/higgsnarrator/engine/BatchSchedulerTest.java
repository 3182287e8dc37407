package org.higgsnarrator.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.higgsnarrator.decode.BatchScheduler;
import org.higgsnarrator.decode.GenerationLoop;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.decode.PromptTokens;
import org.junit.jupiter.api.Test;

/**
 * The server's continuous batching ({@link BatchScheduler}) on the bundled tiny package (real ORT, real codec): a job
 * cancelled mid-way leaves the batch and the others finish as they would alone; a prompt that needs a larger KV cache
 * than the running batch holds gets a new batch and is still its own take.
 */
class BatchSchedulerTest extends TinyNarratorFixture {

    static ConversationJob job(String text, long seed, int frames) {
        Conversation c = new Conversation("Generate audio following instruction.", List.of(), List.of(new Conversation.UserText(text)));
        return new ConversationJob(narrator, c, GenerationOptions.defaults().withSeed(seed).withMaxFrames(frames).withTemperature(1.0));
    }

    @Test
    void aCancelledJobLeavesTheBatchAndTheOthersFinishAsAlone() throws Exception {
        float[] alone = job("The one that finishes.", 1, 300).run(null).pcm();
        try (BatchScheduler batch = narrator.newBatchScheduler(3, "test-batch")) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch go = new CountDownLatch(1);
                ConversationJob doomed = job("The one that is cancelled after its first audio.", 2, 2000);
                Future<?> cancelled = pool.submit(() -> {
                    go.await();
                    return doomed.run((s, r) -> doomed.cancel(), batch);
                });
                Future<ConversationJob.Result> finishing = pool.submit(() -> {
                    go.await();
                    return job("The one that finishes.", 1, 300).run(null, batch);
                });
                go.countDown();
                var e = assertThrows(java.util.concurrent.ExecutionException.class, cancelled::get);
                assertTrue(e.getCause() instanceof CancellationException, "the cancelled job says so: " + e.getCause());
                assertArrayEquals(alone, finishing.get().pcm(), "the job beside the cancelled one = alone");
            } finally {
                pool.shutdownNow();
            }
            // the scheduler goes on serving after a cancellation
            assertArrayEquals(alone, job("The one that finishes.", 1, 300).run(null, batch).pcm());
        }
    }

    /**
     * A batch sized for the frames its sequences are expected to take (a book's segments: not the whole frame limit per
     * slot) grows when one runs longer; the long one and the one beside it during the growth both end as alone.
     */
    @Test
    void aSequenceOutrunningItsExpectedFramesGrowsTheBatchAndBothSequencesEndAsAlone() throws Exception {
        // seeds of the tiny random model that run 1313 and 1096 frames: both cross the first 1024 positions
        PromptTokens longPrompt = prompt("A sequence that runs long."), shortPrompt = longPrompt;
        GenerationOptions longOptions = GenerationOptions.defaults().withSeed(15).withMaxFrames(1500).withTemperature(1.0);
        GenerationOptions shortOptions = GenerationOptions.defaults().withSeed(3).withMaxFrames(1500).withTemperature(1.0);
        GenerationResult longAlone = new GenerationLoop(narrator.model()).run(longPrompt, longOptions, null, null);
        GenerationResult shortAlone = new GenerationLoop(narrator.model()).run(shortPrompt, shortOptions, null, null);
        assertTrue(longAlone.codes()[0].length > shortAlone.codes()[0].length && shortAlone.codes()[0].length + shortPrompt.ids().length > 1024,
                "both cross 1024 positions, the other still decoding when the first does: " + longAlone.codes()[0].length + " and "
                        + shortAlone.codes()[0].length + " frames");
        try (BatchScheduler batch = narrator.newBatchScheduler(2, "test-batch")) {
            List<GenerationResult> r = atOnce(() -> batch.generate(longPrompt, longOptions, 8, null, null),
                    () -> batch.generate(shortPrompt, shortOptions, 8, null, null));
            assertTrue(java.util.Arrays.deepEquals(longAlone.codes(), r.get(0).codes()), "the sequence that grew the batch = alone");
            assertTrue(java.util.Arrays.deepEquals(shortAlone.codes(), r.get(1).codes()), "the one beside it = alone");
            BatchScheduler.Stats s = batch.stats();
            assertEquals(1, s.batchesStarted(), "one batch, sized for 8 expected frames: 1024 positions");
            assertTrue(s.batchesGrown() >= 1, "grown past 1024 positions: " + s);
            assertEquals(2, s.largestBatch(), "decoded together");
        }
    }

    /**
     * A book's segments rendered several at once ({@link SynthesisJob#decodeIn}): jobs of two chunks each, decoded in
     * one batch from two threads, give the audio each gives alone on its own KV session.
     */
    @Test
    void synthesisJobsDecodedInOneBatchRenderAsAlone() throws Exception {
        GenerationOptions o = GenerationOptions.defaults().withMaxFrames(200).withTemperature(1.0);
        SynthesisRequest first = new SynthesisRequest("The first segment.\n\nIts second paragraph.", java.util.Map.of(), List.of("A quiet room."), o.withSeed(21));
        SynthesisRequest second = new SynthesisRequest("Another segment, longer than the first one.\n\nAnd its end.", java.util.Map.of(), List.of(),
                o.withSeed(22));
        SynthesisResult firstAlone = narrator.newJob(first).run(null), secondAlone = narrator.newJob(second).run(null);
        assertEquals(2, firstAlone.chunks().size(), "two chunks: the second prompt carries the first's audio");
        try (BatchScheduler batch = narrator.newBatchScheduler(2, "test-batch")) {
            List<SynthesisResult> r = atOnce(() -> narrator.newJob(first).decodeIn(batch).run(null), () -> narrator.newJob(second).decodeIn(batch).run(null));
            assertArrayEquals(firstAlone.pcm(), r.get(0).pcm(), "the first segment = alone");
            assertArrayEquals(secondAlone.pcm(), r.get(1).pcm(), "the second segment = alone");
            assertEquals(2, batch.stats().largestBatch(), "decoded together: " + batch.stats());
        }
    }

    /**
     * Segments in one cloned voice share their first positions (system, scene, the clip's transcript and audio): the
     * second and third prompt copy them from the batch's shared-prefix slot and prefill only their own text, and each
     * generation is still the one it gets alone.
     */
    @Test
    void promptsStartingWithTheSharedPrefixCopyItAndEndAsAlone() throws Exception {
        int[][] clip = new int[narrator.config().numCodebooks()][40];
        for (int k = 0; k < clip.length; k++) for (int f = 0; f < 40; f++) clip[k][f] = (7 * k + 13 * f) % 1000;
        List<PromptTokens> prompts = new java.util.ArrayList<>();
        for (String text : List.of("The first segment of the chapter.", "Then the second one.", "And the last.")) {
            prompts.add(narrator.renderer().render(new Conversation("Generate audio following instruction.", List.of("A quiet room."),
                    List.of(new Conversation.UserText("Reference transcript."), new Conversation.AssistantAudio(clip), new Conversation.UserText(text)))));
        }
        GenerationOptions o = GenerationOptions.defaults().withMaxFrames(80).withTemperature(1.0);
        List<GenerationResult> alone = new java.util.ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) alone.add(new GenerationLoop(narrator.model()).run(prompts.get(i), o.withSeed(30 + i), null, null));
        try (BatchScheduler batch = narrator.newBatchScheduler(2, "test-batch")) {
            // the first alone (it becomes the shared prefix), then the other two together: the second goes to a slot
            // that never held the first's rows, so only a correct copy gives its codes
            assertTrue(java.util.Arrays.deepEquals(alone.get(0).codes(), batch.generate(prompts.get(0), o.withSeed(30), null, null).codes()), "prompt 0 = alone");
            List<GenerationResult> r = atOnce(() -> batch.generate(prompts.get(1), o.withSeed(31), null, null),
                    () -> batch.generate(prompts.get(2), o.withSeed(32), null, null));
            for (int i = 1; i < 3; i++) assertTrue(java.util.Arrays.deepEquals(alone.get(i).codes(), r.get(i - 1).codes()), "prompt " + i + " = alone");
            BatchScheduler.Stats s = batch.stats();
            int whole = prompts.get(0).ids().length;
            assertTrue(s.sharedPositions() > 2 * 40, "the clip's 40 frames and the turns before them were copied, not prefilled: " + s);
            assertEquals(whole + prompts.get(1).ids().length + prompts.get(2).ids().length, s.prefilledPositions() + s.sharedPositions(),
                    "every prompt position either prefilled or copied: " + s);
        }
    }

    /** Runs both on their own threads, started together; their results in order. */
    private static <T> List<T> atOnce(java.util.concurrent.Callable<T> a, java.util.concurrent.Callable<T> b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> f = new java.util.ArrayList<>();
            for (java.util.concurrent.Callable<T> c : List.of(a, b)) {
                f.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            return List.of(f.get(0).get(), f.get(1).get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static PromptTokens prompt(String text) {
        return narrator.renderer().render(new Conversation("Generate audio following instruction.", List.of(), List.of(new Conversation.UserText(text))));
    }

    @Test
    void aPromptNeedingMoreCacheThanTheRunningBatchGetsALargerBatch() {
        float[] small = job("Small.", 4, 40).run(null).pcm();
        float[] large = job("Large frame limit.", 5, 1500).run(null).pcm();
        try (BatchScheduler batch = narrator.newBatchScheduler(2, "test-batch")) {
            assertArrayEquals(small, job("Small.", 4, 40).run(null, batch).pcm());
            assertEquals(1, batch.stats().batchesStarted(), "one batch of 1024 positions");
            assertArrayEquals(large, job("Large frame limit.", 5, 1500).run(null, batch).pcm());
            assertEquals(2, batch.stats().batchesStarted(), "prompt + 1500 frames need a batch of 2048 positions");
            assertArrayEquals(small, job("Small.", 4, 40).run(null, batch).pcm(), "the larger batch serves small prompts too");
            assertEquals(2, batch.stats().batchesStarted(), "kept, not shrunk");
        }
    }
}
