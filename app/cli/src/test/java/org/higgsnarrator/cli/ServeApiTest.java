package org.higgsnarrator.cli;

import static org.higgsnarrator.cli.ServeFixture.HTTP;
import static org.higgsnarrator.cli.ServeFixture.fixture;
import static org.higgsnarrator.cli.ServeFixture.get;
import static org.higgsnarrator.cli.ServeFixture.json;
import static org.higgsnarrator.cli.ServeFixture.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.Pcm16;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.serve.NarratorServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code narrator serve} over real HTTP on the loopback, on the bundled tiny package: the official client example's
 * request bodies (src/test/resources/serve), streaming and not, the speech route and presets, the key, and bad input.
 */
class ServeApiTest {
    static final String KEY = "test-key-123";
    @TempDir
    static Path dir;
    static Narrator narrator;
    static NarratorServer server;
    static Path reference;
    static final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        narrator = NarratorLoader.load(ServeFixture.tinyPackage(), Device.CPU);
        Path voices = Files.createDirectories(dir.resolve("voices"));
        reference = ServeFixture.clip(voices.resolve("en_woman.wav"), 330, 1.2);
        Files.writeString(voices.resolve("config.json"), """
                {"en_woman": {"transcript": "The device would work during the day as well.", "audio_file": "en_woman.wav"},
                 "sft": {"transcript": "", "audio_file": "", "system_prompt": "Generate audio following instruction."}}
                """);
        server = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withApiKey(KEY).withVoices(voices).withConcurrency(2, 4), log::add);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (narrator != null) narrator.close();
    }

    static String body(JsonObject fixture, int maxFrames, long seed) {
        fixture.addProperty("max_completion_tokens", maxFrames);
        fixture.addProperty("seed", seed);
        return fixture.toString();
    }

    static AudioClip wavOf(JsonObject completion) throws Exception {
        JsonObject choice = completion.getAsJsonArray("choices").get(0).getAsJsonObject();
        String data = choice.getAsJsonObject("message").getAsJsonObject("audio").get("data").getAsString();
        return Pcm16.readWav(Base64.getDecoder().decode(data), "answer");
    }

    @Test
    void healthNeedsNoKeyButTheApiDoes() throws Exception {
        assertEquals(200, get(server.uri(), "/health", null).statusCode());
        HttpResponse<byte[]> noKey = get(server.uri(), "/v1/models", null);
        assertEquals(401, noKey.statusCode());
        assertTrue(json(noKey).get("message").getAsString().contains("Authorization: Bearer"), new String(noKey.body()));
        assertEquals(401, get(server.uri(), "/v1/models", "wrong").statusCode());
        JsonObject models = json(get(server.uri(), "/v1/models", KEY));
        assertEquals("list", models.get("object").getAsString());
        assertEquals("tiny", models.getAsJsonArray("data").get(0).getAsJsonObject().get("id").getAsString());
        JsonArray voices = JsonParser.parseString(new String(get(server.uri(), "/v1/audio/voices", KEY).body())).getAsJsonArray();
        assertEquals("[\"en_woman\",\"sft\"]", voices.toString());
        assertEquals(401, post(server.uri(), "/v1/chat/completions", null, "{}").statusCode());
    }

    @Test
    void officialSmartVoiceAndVoiceCloneBodiesGetWavAudio() throws Exception {
        for (String name : List.of("smart_voice.json", "voice_clone.json")) {
            HttpResponse<byte[]> r = post(server.uri(), "/v1/chat/completions", KEY, body(fixture(name, reference), 20, 4));
            assertEquals(200, r.statusCode(), name + ": " + new String(r.body()));
            JsonObject c = json(r);
            assertEquals("chat.completion", c.get("object").getAsString());
            JsonObject choice = c.getAsJsonArray("choices").get(0).getAsJsonObject();
            assertEquals("assistant", choice.getAsJsonObject("message").get("role").getAsString());
            assertTrue(List.of("stop", "length").contains(choice.get("finish_reason").getAsString()));
            AudioClip audio = wavOf(c);
            assertEquals(24000, audio.sampleRate());
            assertTrue(audio.frames() > 0, name + ": audio");
            assertTrue(c.getAsJsonObject("usage").get("completion_tokens").getAsInt() > 0);
        }
    }

    /** SSE events of a streamed answer: the data lines, [DONE] included. */
    static List<String> events(HttpResponse<InputStream> r) throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("data: ")) out.add(line.substring(6));
                else assertTrue(line.isEmpty(), "SSE lines are data lines or blank: " + line);
            }
        }
        return out;
    }

    static HttpResponse<InputStream> postStream(String body) throws Exception {
        return HTTP.send(ServeFixture.request(server.uri(), "/v1/chat/completions", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void streamedPcmIsTheNonStreamedWavsData() throws Exception {
        JsonObject clone = fixture("voice_clone.json", reference);
        AudioClip whole = wavOf(json(post(server.uri(), "/v1/chat/completions", KEY, body(clone, 30, 3))));

        clone.addProperty("stream", true);
        HttpResponse<InputStream> r = postStream(body(clone, 30, 3));
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
        List<String> ev = events(r);
        assertEquals("[DONE]", ev.getLast());
        JsonObject first = JsonParser.parseString(ev.getFirst()).getAsJsonObject();
        assertEquals("chat.completion.chunk", first.get("object").getAsString());
        assertEquals("assistant", first.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("delta").get("role").getAsString());
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        String finish = null;
        int audioEvents = 0;
        for (String e : ev.subList(1, ev.size() - 1)) {
            JsonObject choice = JsonParser.parseString(e).getAsJsonObject().getAsJsonArray("choices").get(0).getAsJsonObject();
            JsonObject delta = choice.getAsJsonObject("delta");
            if (delta.has("audio")) {
                pcm.writeBytes(Base64.getDecoder().decode(delta.getAsJsonObject("audio").get("data").getAsString()));
                audioEvents++;
            }
            if (!choice.get("finish_reason").isJsonNull()) finish = choice.get("finish_reason").getAsString();
        }
        assertNotNull(finish, "a chunk carries finish_reason");
        assertTrue(audioEvents > 1, "audio arrives in several deltas, as it is decoded");
        assertArrayEquals(Pcm16.encode(whole.samples()), pcm.toByteArray(), "streamed 16-bit PCM = the WAV answer's samples, same seed");
    }

    @Test
    void officialMultiSpeakerStreamReportsUsage() throws Exception {
        JsonObject multi = fixture("multispeaker.json", null);
        HttpResponse<InputStream> r = postStream(body(multi, 16, 1));
        assertEquals(200, r.statusCode());
        List<String> ev = events(r);
        JsonObject usage = JsonParser.parseString(ev.get(ev.size() - 2)).getAsJsonObject();
        assertEquals(0, usage.getAsJsonArray("choices").size());
        assertTrue(usage.getAsJsonObject("usage").get("prompt_tokens").getAsInt() > 20);
    }

    @Test
    void speechRouteWithPresetsInEveryFormat() throws Exception {
        JsonObject speech = fixture("speech.json", null);
        speech.addProperty("max_tokens", 16);
        HttpResponse<byte[]> pcm = post(server.uri(), "/v1/audio/speech", KEY, speech.toString());
        assertEquals(200, pcm.statusCode(), new String(pcm.body()));
        assertTrue(pcm.body().length > 0 && pcm.body().length % 2 == 0, "16-bit PCM");
        speech.addProperty("response_format", "wav");
        byte[] wav = post(server.uri(), "/v1/audio/speech", KEY, speech.toString()).body();
        assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
        speech.addProperty("response_format", "mp3");
        byte[] mp3 = post(server.uri(), "/v1/audio/speech", KEY, speech.toString()).body();
        assertTrue(new String(mp3, 0, 3, StandardCharsets.ISO_8859_1).equals("ID3") || (mp3[0] & 0xFF) == 0xFF, "an MP3 stream");
        // As the official server: an unknown voice falls back to the first preset; a system-prompt preset needs no clip.
        speech.addProperty("voice", "alloy");
        speech.addProperty("response_format", "pcm");
        assertEquals(200, post(server.uri(), "/v1/audio/speech", KEY, speech.toString()).statusCode());
        assertTrue(log.stream().anyMatch(l -> l.contains("voice 'alloy' unknown, using en_woman")), String.join("\n", log));
        speech.addProperty("voice", "sft");
        assertEquals(200, post(server.uri(), "/v1/audio/speech", KEY, speech.toString()).statusCode());
        speech.remove("input");
        HttpResponse<byte[]> missing = post(server.uri(), "/v1/audio/speech", KEY, speech.toString());
        assertEquals(400, missing.statusCode());
        assertEquals("input", json(missing).get("param").getAsString());
    }

    record Bad(String what, String body, int status, String param, String says) {}

    @Test
    void badInputGetsClearErrorsAndTheServerCarriesOn() throws Exception {
        JsonObject clone = fixture("voice_clone.json", reference);
        String notBase64 = clone.toString().replace(Base64.getEncoder().encodeToString(Files.readAllBytes(reference)), "@@not base64@@");
        String notAudio = clone.toString().replace(Base64.getEncoder().encodeToString(Files.readAllBytes(reference)),
                Base64.getEncoder().encodeToString("just some text, not a recording".getBytes(StandardCharsets.UTF_8)));
        String audioInUserTurn = """
                {"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}]}]}""";
        List<Bad> cases = List.of(
                new Bad("not JSON", "{\"messages\": [", 400, null, "not valid JSON"),
                new Bad("an array", "[1, 2]", 400, null, "JSON object"),
                new Bad("no messages", "{\"model\": \"x\"}", 400, "messages", "messages is required"),
                new Bad("bad base64", notBase64, 400, "messages[1].content[0].input_audio.data", "not valid base64"),
                new Bad("not audio", notAudio, 400, "messages[1].content[0].input_audio.data", "not audio"),
                new Bad("audio in a user turn", audioInUserTurn, 400, "messages[0].content[0].type", "input_audio"),
                new Bad("ends with audio", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi.\"}, {\"role\": \"assistant\", \"content\": \"Hello.\"}]}", 400,
                        "messages[1].content", "exactly one audio part"),
                new Bad("temperature", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi.\"}], \"temperature\": -1}", 400, "temperature", "≥ 0"),
                new Bad("top_k type", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi.\"}], \"top_k\": \"many\"}", 400, "top_k", "integer"),
                new Bad("opus", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi.\"}], \"audio\": {\"format\": \"opus\"}}", 400, "audio.format", "opus"),
                new Bad("text only", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi.\"}], \"modalities\": [\"text\"]}", 400, "modalities", "audio"),
                new Bad("frames", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi.\"}], \"max_completion_tokens\": 999999}", 400,
                        "max_completion_tokens", "frame limit"));
        for (Bad b : cases) {
            HttpResponse<byte[]> r = post(server.uri(), "/v1/chat/completions", KEY, b.body());
            assertEquals(b.status(), r.statusCode(), b.what() + ": " + new String(r.body()));
            JsonObject err = json(r);
            assertEquals("error", err.get("object").getAsString(), b.what());
            assertEquals(b.status(), err.get("code").getAsInt(), b.what());
            if (b.param() != null) assertEquals(b.param(), err.get("param").getAsString(), b.what());
            assertTrue(err.get("message").getAsString().contains(b.says()), b.what() + ": " + err);
        }
        HttpResponse<byte[]> text = HTTP.send(ServeFixture.request(server.uri(), "/v1/chat/completions", KEY).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(415, text.statusCode());
        assertEquals(405, get(server.uri(), "/v1/chat/completions", KEY).statusCode());
        assertEquals(404, get(server.uri(), "/v1/nothing", KEY).statusCode());
        // still serving
        assertEquals(200, get(server.uri(), "/health", null).statusCode());
        assertEquals(200, post(server.uri(), "/v1/chat/completions", KEY, body(fixture("smart_voice.json", null), 8, 1)).statusCode());
        assertTrue(log.stream().anyMatch(l -> l.contains("POST /v1/chat/completions 400") && l.contains("not valid base64")), "one log line per request");
    }

    @Test
    void oversizedBodiesAndAFullQueueAreRefused() throws Exception {
        try (NarratorServer small = NarratorServer.start(narrator, NarratorServer.Config.loopback(0, "tiny").withMaxBodyBytes(64 << 10).withConcurrency(1, 0), null)) {
            char[] big = new char[100 << 10];
            Arrays.fill(big, 'a');
            HttpResponse<byte[]> tooBig = post(small.uri(), "/v1/chat/completions", null,
                    "{\"messages\": [{\"role\": \"user\", \"content\": \"" + new String(big) + "\"}]}");
            assertEquals(413, tooBig.statusCode());
            assertTrue(json(tooBig).get("message").getAsString().contains("64 KiB"));

            // One long render holds the only slot (its first event proves it is generating); the next request gets 429.
            JsonObject longOne = fixture("smart_voice.json", null);
            longOne.addProperty("stream", true);
            longOne.addProperty("max_completion_tokens", 2000);
            longOne.addProperty("ras_win_len", 0);
            HttpResponse<InputStream> running = HTTP.send(ServeFixture.request(small.uri(), "/v1/chat/completions", null)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(longOne.toString())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader lines = new BufferedReader(new InputStreamReader(running.body(), StandardCharsets.UTF_8));
            assertTrue(lines.readLine().startsWith("data: "), "the long render started");
            HttpResponse<byte[]> busy = post(small.uri(), "/v1/chat/completions", null, body(fixture("smart_voice.json", null), 8, 1));
            assertEquals(429, busy.statusCode());
            assertTrue(busy.headers().firstValue("Retry-After").isPresent());
            // The client of the long render leaves; the server stops generating for it and takes work again.
            running.body().close();
            long until = System.nanoTime() + 60_000_000_000L;
            int status;
            do {
                Thread.sleep(200);
                status = post(small.uri(), "/v1/chat/completions", null, body(fixture("smart_voice.json", null), 8, 1)).statusCode();
            } while (status == 429 && System.nanoTime() < until);
            assertEquals(200, status, "the slot is free again after the client left");
            assertEquals(1L, small.statusCounts().get(413));
        }
    }

    @Test
    void referenceClipsAreEncodedOncePerContent() throws Exception {
        long[] before = server.clipCache();
        String b = body(fixture("voice_clone.json", reference), 4, 2);
        for (int i = 0; i < 3; i++) assertEquals(200, post(server.uri(), "/v1/chat/completions", KEY, b).statusCode());
        long[] after = server.clipCache();
        assertTrue(after[0] - before[0] <= 1, "encoded at most once: " + Arrays.toString(before) + " → " + Arrays.toString(after));
        assertTrue(after[1] - before[1] >= 2, "reused from the cache");
        assertTrue(Stream.of(log.toArray(String[]::new)).filter(l -> l.contains("POST /v1/chat/completions 200")).count() >= 3);
    }
}
