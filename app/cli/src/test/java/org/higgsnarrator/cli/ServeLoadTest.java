package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.serve.NarratorServer;
import org.junit.jupiter.api.Test;

/**
 * A bounded load test over the loopback: N clients × M requests against a server with fewer slots than clients.
 * Every request ends answered (a 429 is counted and retried after Retry-After), no answer is lost, answers with the
 * same seed are byte-identical whatever ran beside them (no mixing of requests' audio), and the heap after the run is
 * where it was before.
 */
class ServeLoadTest {
    static final int CLIENTS = 4, REQUESTS = 3;

    @Test
    void manyClientsNothingLostErrorsCounted() throws Exception {
        try (Narrator narrator = NarratorLoader.load(ServeFixture.tinyPackage(), Device.CPU);
             NarratorServer server = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withConcurrency(2, 1), null)) {
            // warm up, then take the heap baseline
            assertEquals(200, ServeFixture.post(server.uri(), "/v1/chat/completions", null, body(0)).statusCode());
            long heapBefore = usedHeapAfterGc();
            AtomicInteger busy = new AtomicInteger(), failed = new AtomicInteger();
            Map<Integer, List<byte[]>> bySeed = new ConcurrentHashMap<>();
            assertTimeoutPreemptively(Duration.ofSeconds(240), () -> {
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        for (int r = 0; r < REQUESTS; r++) {
                            int seed = (client + r) % 3;
                            for (int attempt = 0; ; attempt++) {
                                HttpResponse<byte[]> resp = ServeFixture.post(server.uri(), "/v1/chat/completions", null, body(seed));
                                if (resp.statusCode() == 429 && attempt < 100) {
                                    busy.incrementAndGet();
                                    Thread.sleep(200);
                                    continue;
                                }
                                if (resp.statusCode() != 200) {
                                    failed.incrementAndGet();
                                    break;
                                }
                                JsonObject json = ServeFixture.json(resp);
                                String data = json.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("message")
                                        .getAsJsonObject("audio").get("data").getAsString();
                                bySeed.computeIfAbsent(seed, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(Base64.getDecoder().decode(data));
                                break;
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
                clients.shutdown();
            });
            int answered = bySeed.values().stream().mapToInt(List::size).sum();
            System.out.printf("load: %d clients × %d requests: %d answered, %d times 429 (retried), %d failed; statuses %s%n", CLIENTS, REQUESTS, answered,
                    busy.get(), failed.get(), server.statusCounts());
            assertEquals(0, failed.get(), "no request failed");
            assertEquals(CLIENTS * REQUESTS, answered, "nothing lost");
            assertEquals((long) busy.get(), server.statusCounts().getOrDefault(429, 0L), "every 429 the clients saw is counted by the server");
            for (var e : bySeed.entrySet()) {
                for (byte[] wav : e.getValue()) assertArrayEquals(e.getValue().getFirst(), wav, "seed " + e.getKey() + ": same audio whatever ran beside it");
            }
            long heapAfter = usedHeapAfterGc();
            assertTrue(heapAfter < heapBefore + (64L << 20), "heap flat: " + (heapBefore >> 20) + " MiB before, " + (heapAfter >> 20) + " MiB after");
        }
    }

    static String body(int seed) {
        return "{\"messages\": [{\"role\": \"system\", \"content\": \"Generate audio following instruction.\"},"
                + " {\"role\": \"user\", \"content\": \"Request with seed " + seed + ".\"}],"
                + " \"modalities\": [\"text\", \"audio\"], \"max_completion_tokens\": 16, \"seed\": " + seed + "}";
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
