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
import org.higgsnarrator.decode.GenerationOptions;
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
