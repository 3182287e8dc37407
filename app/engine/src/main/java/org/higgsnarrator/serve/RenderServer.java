package org.higgsnarrator.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.Pcm16;

/**
 * One Higgs Audio server — {@code narrator serve} or Boson's {@code bosonai/higgs-audio-vllm} image — as a client
 * sees it: its base URL, its key, the model it serves, and one chat completion at a time per call. Requests are the
 * ones the official example sends (higgs-audio examples/vllm/run_chat_completion.py:92-102: messages, model,
 * max_completion_tokens, modalities, temperature, top_p, top_k, stop), non-streaming, answered with a base64 WAV.
 * Thread-safe; {@link java.net.http.HttpClient} keeps the connections.
 */
public final class RenderServer {
    /** Why a call failed, and whether another server (or later) may succeed. */
    public static final class Failure extends IOException {
        public enum Kind {
            /** the server is unreachable, overloaded (429/503) or failed (5xx): retry later or elsewhere */
            TRANSIENT,
            /** this server refuses this client (401/403/404/413/415): use the other servers */
            SERVER_REFUSES,
            /** the request itself is wrong (400): no server will take it */
            BAD_REQUEST
        }

        private final Kind kind;

        Failure(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final Duration requestTimeout;
    private volatile String model;

    /**
     * @param url            the server's address, e.g. {@code http://gpu-box:8000} (a trailing {@code /v1} is accepted)
     * @param apiKey         sent as {@code Authorization: Bearer}; null for none
     * @param requestTimeout how long one chunk may take (generation on a CPU server is slow)
     */
    public RenderServer(String url, String apiKey, Duration requestTimeout) {
        this.base = normalize(url);
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static URI normalize(String url) {
        String u = url.strip();
        if (!u.contains("://")) u = "http://" + u;
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        if (u.endsWith("/v1")) u = u.substring(0, u.length() - 3);
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("render server '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("render server '" + url + "' must be an http(s) URL such as http://gpu-box:8000");
        }
        return uri;
    }

    public URI uri() {
        return base;
    }

    @Override
    public String toString() {
        return base.toString();
    }

    /** {@code GET /health}: true when the server answers 200 within a few seconds. */
    public boolean healthy() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * What a user's "Test" asks: {@code GET /health} (no key), then {@code GET /v1/models} (with the key).
     *
     * @return the served model's id
     * @throws Failure saying why the server cannot be used: unreachable, not healthy, 401 (the key), not a Higgs Audio server
     */
    public String check() throws Failure {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failure(Failure.Kind.TRANSIENT, base + " is unreachable (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); is the server running and the address right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Failure.Kind.TRANSIENT, "interrupted while waiting for " + base, e);
        }
        if (r.statusCode() != 200) {
            throw new Failure(Failure.Kind.TRANSIENT, base + "/health answered " + r.statusCode() + (r.statusCode() == 404 ? ": is this a Higgs Audio server?" : ""), null);
        }
        model = null; // ask again: the server may have been restarted with another model
        return model();
    }

    /**
     * The served model's id from {@code GET /v1/models} (the official example's {@code models.data[0].id}); Boson's
     * server refuses requests naming another model. Also checks the key.
     */
    public String model() throws Failure {
        String m = model;
        if (m != null) return m;
        JsonObject list = json(send(request("/v1/models").GET().build()), "/v1/models");
        try {
            m = list.getAsJsonArray("data").get(0).getAsJsonObject().get("id").getAsString();
        } catch (RuntimeException e) {
            throw new Failure(Failure.Kind.SERVER_REFUSES, base + "/v1/models lists no model: is this a Higgs Audio server?", e);
        }
        model = m;
        return m;
    }

    /**
     * {@code POST /v1/chat/completions} without streaming; {@code body}'s {@code model} is set to the served one.
     *
     * @return the audio of {@code choices[0].message.audio.data}
     */
    public AudioClip chat(JsonObject body) throws Failure {
        body.addProperty("model", model());
        HttpRequest req = request("/v1/chat/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        JsonObject resp = json(send(req), "/v1/chat/completions");
        String data;
        try {
            data = resp.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("message").getAsJsonObject("audio").get("data").getAsString();
        } catch (RuntimeException e) {
            throw new Failure(Failure.Kind.TRANSIENT, base + " answered without choices[0].message.audio.data", e);
        }
        try {
            return Pcm16.readWav(Base64.getDecoder().decode(data), "audio from " + base);
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure(Failure.Kind.TRANSIENT, base + " answered audio that is not a WAV file: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout);
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    private HttpResponse<String> send(HttpRequest req) throws Failure {
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failure(Failure.Kind.TRANSIENT, base + " is unreachable or dropped the connection (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Failure.Kind.TRANSIENT, "interrupted while waiting for " + base, e);
        }
        int s = r.statusCode();
        if (s == 200) return r;
        String message = errorMessage(r.body());
        Failure.Kind kind = switch (s) {
            case 400, 422 -> Failure.Kind.BAD_REQUEST;
            case 401, 403, 404, 405, 413, 415 -> Failure.Kind.SERVER_REFUSES;
            default -> Failure.Kind.TRANSIENT;
        };
        String hint = s == 401 ? " (check the API key: --api-key, or the key in Settings → Render servers)" : "";
        throw new Failure(kind, base + " answered " + s + hint + ": " + message, null);
    }

    private static String errorMessage(String body) {
        try {
            JsonElement e = JsonParser.parseString(body);
            if (e.isJsonObject()) {
                JsonObject o = e.getAsJsonObject();
                if (o.has("message")) return o.get("message").getAsString();
                if (o.has("error")) return o.get("error").isJsonObject() && o.getAsJsonObject("error").has("message")
                        ? o.getAsJsonObject("error").get("message").getAsString() : o.get("error").toString();
            }
        } catch (RuntimeException ignored) {
            // not JSON: show the text
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    private JsonObject json(HttpResponse<String> r, String what) throws Failure {
        try {
            return JsonParser.parseString(r.body()).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new Failure(Failure.Kind.TRANSIENT, base + what + " answered something that is not a JSON object", e);
        }
    }
}
