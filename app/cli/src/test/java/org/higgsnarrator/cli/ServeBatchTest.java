package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.higgsnarrator.decode.BatchScheduler;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.serve.NarratorServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code narrator serve} decodes concurrent requests together (docs/serving.md "Batched decoding of concurrent
 * requests"), over real HTTP on the loopback against a real server on the bundled package: N different requests
 * (own seeds, temperatures, top-k/top-p, frame limits, prompts — one a voice clone), sent at once, streamed and not,
 * each answer equal byte for byte to the same request sent alone; a request that arrives while a batch decodes
 * joins it at the next step and is still its own take; the server with batching off gives the same answers.
 */
class ServeBatchTest {
    @TempDir
    Path dir;

    /** Requests that differ in every per-request setting; {@code stream} alternates. */
    List<String> bodies(Path clip) throws Exception {
        String ref = Base64.getEncoder().encodeToString(Files.readAllBytes(clip));
        List<String> b = new ArrayList<>();
        b.add(chat("[{\"role\": \"system\", \"content\": \"Generate audio following instruction.\"}, {\"role\": \"user\", \"content\": \"The first request, a short one.\"}]",
                "\"seed\": 3, \"temperature\": 0.7, \"max_completion_tokens\": 60", false));
        b.add(chat("[{\"role\": \"system\", \"content\": \"Generate audio following instruction.\"}, {\"role\": \"user\", \"content\": \"A second request, which says rather more than the first one did, at some length.\"}]",
                "\"seed\": 11, \"temperature\": 1.0, \"top_p\": 0.9, \"max_completion_tokens\": 90", true));
        b.add(chat("[{\"role\": \"system\", \"content\": \"Generate audio following instruction.\"}, {\"role\": \"user\", \"content\": \"A reference line.\"},"
                        + " {\"role\": \"assistant\", \"content\": [{\"type\": \"input_audio\", \"input_audio\": {\"data\": \"" + ref + "\", \"format\": \"wav\"}}]},"
                        + " {\"role\": \"user\", \"content\": \"The third request clones a voice.\"}]",
                "\"seed\": 5, \"temperature\": 0.5, \"top_k\": 20, \"max_completion_tokens\": 75", false));
        b.add(chat("[{\"role\": \"user\", \"content\": \"Fourth: greedy, no system message.\"}]", "\"temperature\": 0, \"max_completion_tokens\": 40", true));
        return b;
    }

    static String chat(String messages, String sampling, boolean stream) {
        return "{\"model\": \"tiny\", \"messages\": " + messages + ", \"modalities\": [\"text\", \"audio\"], " + sampling + ", \"stream\": " + stream + "}";
    }

    @Test
    void concurrentRequestsDecodedTogetherEqualEachRequestAlone() throws Exception {
        Path clip = ServeFixture.clip(dir.resolve("ref.wav"), 330, 1.2);
        List<String> bodies = bodies(clip);
        int n = bodies.size();
        try (Narrator narrator = NarratorLoader.load(ServeFixture.tinyPackage(), Device.CPU);
             NarratorServer server = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withConcurrency(n, 8), null)) {
            assertNotNull(server.batchStats(), "the CPU model decodes batches, so the server batches");
            List<byte[]> alone = new ArrayList<>();
            for (String b : bodies) alone.add(answer(server.uri(), b));
            BatchScheduler.Stats afterAlone = server.batchStats();
            assertEquals(afterAlone.batchSteps(), afterAlone.sequenceSteps(), "one at a time: every step decodes one sequence");
            assertEquals(1, afterAlone.largestBatch());

            List<byte[]> together = assertTimeoutPreemptively(Duration.ofSeconds(240), () -> concurrently(server.uri(), bodies));
            BatchScheduler.Stats s = server.batchStats();
            long steps = s.batchSteps() - afterAlone.batchSteps(), seqSteps = s.sequenceSteps() - afterAlone.sequenceSteps();
            System.out.printf("batched: %d decode steps advanced %d sequence-steps (largest batch %d, %d joined mid-flight)%n", steps, seqSteps,
                    s.largestBatch(), s.joinedMidFlight());
            assertTrue(s.largestBatch() >= 2 && seqSteps > steps, "the concurrent requests were decoded together: " + s);
            for (int i = 0; i < n; i++) {
                assertTrue(alone.get(i).length > 1000, "request " + i + " has audio");
                assertArrayEquals(alone.get(i), together.get(i), "request " + i + " (" + (bodies.get(i).contains("\"stream\": true") ? "streamed" : "WAV")
                        + "): the same answer decoded in a batch as alone");
            }
            // the same answers from the per-request path (batching off): one take per request whatever the path
            try (NarratorServer plain = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withConcurrency(n, 8).withBatching(false), null)) {
                assertNull(plain.batchStats());
                List<byte[]> unbatched = concurrently(plain.uri(), bodies);
                for (int i = 0; i < n; i++) assertArrayEquals(alone.get(i), unbatched.get(i), "request " + i + ": batching off gives the same answer");
            }
        }
    }

    @Test
    void aRequestArrivingMidBatchJoinsAtTheNextStep() throws Exception {
        Path clip = ServeFixture.clip(dir.resolve("ref.wav"), 440, 1.0);
        List<String> bodies = bodies(clip);
        // a long stream holds the batch while the second request arrives (this seed gives ≈ 33 s of audio, 820 frames, on the tiny package)
        String longOne = chat("[{\"role\": \"user\", \"content\": \"A long request that keeps the batch busy.\"}]",
                "\"temperature\": 1.0, \"seed\": 1, \"max_completion_tokens\": 2000", true);
        String late = bodies.get(0);
        try (Narrator narrator = NarratorLoader.load(ServeFixture.tinyPackage(), Device.CPU);
             NarratorServer server = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withConcurrency(2, 4), null)) {
            byte[] lateAlone = answer(server.uri(), late);
            byte[] longAlone = answer(server.uri(), longOne);
            assertTrue(longAlone.length > 10 * 48000, "the long request is long: " + longAlone.length / 48000.0 + " s");
            BatchScheduler.Stats before = server.batchStats();
            assertTimeoutPreemptively(Duration.ofSeconds(240), () -> {
                CountDownLatch firstAudio = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(1);
                try {
                    Future<byte[]> longRun = pool.submit(() -> streamed(server.uri(), longOne, firstAudio));
                    firstAudio.await();
                    byte[] lateAnswer = answer(server.uri(), late);
                    byte[] longAnswer = longRun.get();
                    BatchScheduler.Stats after = server.batchStats();
                    assertTrue(after.joinedMidFlight() > before.joinedMidFlight(), "the late request joined the running batch: " + after);
                    assertArrayEquals(lateAlone, lateAnswer, "the late request's answer = alone");
                    assertArrayEquals(longAlone, longAnswer, "the running request's answer is not changed by the one that joined");
                } finally {
                    pool.shutdownNow();
                }
                return null;
            });
        }
    }

    /** All bodies sent at once (released together); the answers in order. */
    static List<byte[]> concurrently(URI base, List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> fs = new ArrayList<>();
            for (String b : bodies) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return answer(base, b);
                }));
            }
            go.countDown();
            List<byte[]> out = new ArrayList<>();
            for (Future<byte[]> f : fs) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The answer's audio bytes: the WAV file of a plain answer, the concatenated PCM deltas of a streamed one. */
    static byte[] answer(URI base, String body) throws Exception {
        if (body.contains("\"stream\": true")) return streamed(base, body, null);
        HttpResponse<byte[]> r = ServeFixture.post(base, "/v1/chat/completions", null, body);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonObject c = ServeFixture.json(r);
        return Base64.getDecoder().decode(c.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("message").getAsJsonObject("audio")
                .get("data").getAsString());
    }

    static byte[] streamed(URI base, String body, CountDownLatch firstAudio) throws Exception {
        HttpResponse<InputStream> r = ServeFixture.HTTP.send(ServeFixture.request(base, "/v1/chat/completions", null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        boolean done = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: ")) continue;
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                JsonObject e = JsonParser.parseString(data).getAsJsonObject();
                assertTrue(!e.has("error"), "no error event: " + data);
                JsonObject delta = e.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("delta");
                if (delta.has("audio")) {
                    pcm.writeBytes(Base64.getDecoder().decode(delta.getAsJsonObject("audio").get("data").getAsString()));
                    if (firstAudio != null) firstAudio.countDown();
                }
            }
        }
        assertTrue(done, "the stream ends with [DONE]");
        return pcm.toByteArray();
    }
}
