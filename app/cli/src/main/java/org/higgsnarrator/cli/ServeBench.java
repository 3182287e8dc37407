package org.higgsnarrator.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./narrator serve --bench 1,2,4}: throughput of a server over the loopback with 1, 2, 4 … concurrent clients,
 * each sending streamed chat completions one after another: requests/s, seconds of audio per second, and the time to
 * the first streamed audio byte (median and worst).
 */
final class ServeBench {
    private ServeBench() {}

    record Sample(double ttfb, double seconds, double audioSeconds) {}

    static void run(URI base, List<Integer> clientCounts, int requestsPerClient, int frames, int sampleRate, PrintStream out) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        out.printf("load before: %s%n", load());
        out.println("| clients | requests | requests/s | audio s/s | first audio byte, median | worst | failed |");
        out.println("|---|---|---|---|---|---|---|");
        for (int clients : clientCounts) {
            List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
            int[] failed = {0};
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                fs.add(pool.submit(() -> {
                    for (int r = 0; r < requestsPerClient; r++) {
                        try {
                            samples.add(one(http, base, frames, client * 1000 + r, sampleRate));
                        } catch (Exception e) {
                            synchronized (failed) {
                                failed[0]++;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            double wall = (System.nanoTime() - t0) / 1e9;
            double audio = samples.stream().mapToDouble(Sample::audioSeconds).sum();
            List<Double> ttfb = samples.stream().map(Sample::ttfb).sorted().toList();
            out.printf(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.0f ms | %.0f ms | %d |%n", clients, samples.size(), samples.size() / wall, audio / wall,
                    ttfb.isEmpty() ? Double.NaN : ttfb.get(ttfb.size() / 2) * 1000, ttfb.isEmpty() ? Double.NaN : ttfb.getLast() * 1000, failed[0]);
        }
        out.printf("load after: %s%n", load());
    }

    /** One streamed request: time to its first audio delta, total time, seconds of audio. */
    static Sample one(HttpClient http, URI base, int frames, long seed, int sampleRate) throws Exception {
        JsonObject body = JsonParser.parseString("""
                {"messages": [{"role": "system", "content": "Generate audio following instruction.\\n\\n<|scene_desc_start|>\\nAudio is recorded from a quiet room.\\n<|scene_desc_end|>"},
                 {"role": "user", "content": "The sun rises in the east and sets in the west. This simple fact has been observed by humans for thousands of years."}],
                 "modalities": ["text", "audio"], "stream": true, "temperature": 1.0, "top_p": 0.95, "top_k": 50}""").getAsJsonObject();
        body.addProperty("max_completion_tokens", frames);
        body.addProperty("seed", seed);
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) throw new IllegalStateException("status " + r.statusCode());
        double ttfb = -1;
        long bytes = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: {")) continue;
                JsonObject e = JsonParser.parseString(line.substring(6)).getAsJsonObject();
                if (e.has("error")) throw new IllegalStateException(e.toString());
                var choices = e.getAsJsonArray("choices");
                if (choices.isEmpty()) continue;
                JsonObject delta = choices.get(0).getAsJsonObject().getAsJsonObject("delta");
                if (delta.has("audio")) {
                    if (ttfb < 0) ttfb = (System.nanoTime() - t0) / 1e9;
                    bytes += Base64.getDecoder().decode(delta.getAsJsonObject("audio").get("data").getAsString()).length;
                }
            }
        }
        return new Sample(ttfb, (System.nanoTime() - t0) / 1e9, bytes / 2.0 / sampleRate);
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip() + " (1, 5, 15 min load; " + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (Exception e) {
            return "unknown";
        }
    }
}
