package org.higgsnarrator.serve;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.audio.Pcm16;
import org.higgsnarrator.decode.BatchScheduler;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.engine.Conversation;
import org.higgsnarrator.engine.ConversationJob;
import org.higgsnarrator.engine.Narrator;

/**
 * {@code narrator serve}: the Higgs Audio server API of Boson's {@code bosonai/higgs-audio-vllm} image
 * (vllm/entrypoints/bosonai/api_server.py) on a loaded {@link Narrator}:
 * <ul>
 *   <li>{@code GET /health} (never needs the key; api_server.py:514-518), {@code GET /v1/models} (:520-525);</li>
 *   <li>{@code POST /v1/chat/completions} (:534-551, serving_chat.py): see {@link ChatRequest}; the answer's
 *   {@code choices[0].message.audio.data} is a base64 WAV (serving_chat.py non-streaming path, {@code convert_audio_to_base64});
 *   with {@code stream: true}, server-sent events whose {@code choices[0].delta.audio.data} is base64 16-bit PCM
 *   (utils.py:71-107), then a chunk with {@code finish_reason}, the usage chunk when asked, and {@code data: [DONE]};</li>
 *   <li>{@code POST /v1/audio/speech} (:554-572, serving_audio.py): {@code model}, {@code input}, {@code voice} (a
 *   preset), {@code response_format} pcm (default, streamed) | wav | mp3, {@code temperature}, {@code top_p},
 *   {@code top_k}, {@code max_tokens}; {@code GET /v1/audio/voices} (:575-578) lists the presets.</li>
 * </ul>
 * With a key, every {@code /v1/*} request needs {@code Authorization: Bearer KEY} (api_server.py:280-293). Bodies must be
 * JSON (415 otherwise, :105-112) and at most {@link Config#maxBodyBytes} (413). At most {@link Config#maxConcurrent}
 * requests generate at once and {@link Config#maxQueue} more wait; beyond that 429 with {@code Retry-After}. Every
 * request runs its own {@link ConversationJob} (its own KV cache, decoder stream and sample buffer): two requests never
 * share audio. Bad input is answered with the official error shape and the server keeps running. One log line per
 * request.
 *
 * <p>Differences from the official server, on purpose: any {@code model} name is accepted (clients written for the
 * image send its served name); PCM is rounded as the project's WAV files are ({@code round(x·32768)}, the official
 * truncates {@code x·32767}: at most one step apart), so a streamed answer is byte for byte the data of the
 * non-streamed WAV; audio is at the codec's rate (24 kHz for Higgs Audio v2, the API's rate).
 */
public final class NarratorServer implements AutoCloseable {
    /** The official TTS system prompt of {@code /v1/audio/speech} (serving_audio.py:44). */
    static final String TTS_SYSTEM_PROMPT = "Convert text to speech with the same voice.";

    /**
     * @param host           address to bind (loopback unless the user says otherwise)
     * @param port           0 for any free port
     * @param apiKey         null: no key required
     * @param voices         preset folder (config.json); null for none
     * @param maxConcurrent  requests generating at once
     * @param maxQueue       admitted requests waiting for a generation slot; more get 429
     * @param maxBodyBytes   larger bodies get 413
     * @param modelId        the id {@code /v1/models} lists
     */
    public record Config(String host, int port, String apiKey, Path voices, int maxConcurrent, int maxQueue, long maxBodyBytes, String modelId,
                         ChatRequest.Limits limits, boolean batched) {
        /** Decoding concurrent requests together (the default where the model can). */
        public Config(String host, int port, String apiKey, Path voices, int maxConcurrent, int maxQueue, long maxBodyBytes, String modelId,
                      ChatRequest.Limits limits) {
            this(host, port, apiKey, voices, maxConcurrent, maxQueue, maxBodyBytes, modelId, limits, true);
        }


        public Config {
            if (maxConcurrent < 1) throw new IllegalArgumentException("--max-concurrent must be ≥ 1, got " + maxConcurrent);
            if (maxQueue < 0) throw new IllegalArgumentException("the queue length must be ≥ 0, got " + maxQueue);
            if (maxBodyBytes < 1024) throw new IllegalArgumentException("the body limit must be at least 1 KiB, got " + maxBodyBytes);
            if (apiKey != null && apiKey.isBlank()) apiKey = null;
            if (limits == null) limits = ChatRequest.Limits.DEFAULT;
        }

        public static Config loopback(int port, String modelId) {
            return new Config("127.0.0.1", port, null, null, 1, 8, 32L << 20, modelId, ChatRequest.Limits.DEFAULT);
        }

        public Config withApiKey(String key) {
            return new Config(host, port, key, voices, maxConcurrent, maxQueue, maxBodyBytes, modelId, limits, batched);
        }

        public Config withVoices(Path dir) {
            return new Config(host, port, apiKey, dir, maxConcurrent, maxQueue, maxBodyBytes, modelId, limits, batched);
        }

        public Config withConcurrency(int concurrent, int queue) {
            return new Config(host, port, apiKey, voices, concurrent, queue, maxBodyBytes, modelId, limits, batched);
        }

        /** {@code false}: every request decoded on its own (one sequence per decode step), as before batching. */
        public Config withBatching(boolean on) {
            return new Config(host, port, apiKey, voices, maxConcurrent, maxQueue, maxBodyBytes, modelId, limits, on);
        }

        public Config withMaxBodyBytes(long bytes) {
            return new Config(host, port, apiKey, voices, maxConcurrent, maxQueue, bytes, modelId, limits, batched);
        }
    }

    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeNulls().create();
    private static final Object STARTED = new Object();

    private final Narrator narrator;
    private final Config config;
    private final Consumer<String> log;
    private final HttpServer http;
    private final ThreadPoolExecutor generators;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final ReferenceCodes codes;
    private final VoicePresets presets;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger requestCount = new AtomicInteger();
    /** Requests received whose answer is not yet sent and logged. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    /** Sampling of requests that leave a field out: the loaded package's defaults. */
    private final GenerationOptions defaults;
    /** Requests admitted and not finished, so that closing the server stops their generation too. */
    private final java.util.Set<Generation> active = ConcurrentHashMap.newKeySet();
    /** Decodes the requests generating at once together (null: each on its own, the model cannot batch or batching is off). */
    private final BatchScheduler batch;

    private NarratorServer(Narrator narrator, Config config, Consumer<String> log) throws IOException {
        this.narrator = narrator;
        this.config = config;
        this.log = log == null ? s -> {} : log;
        this.defaults = narrator.defaultOptions();
        this.presets = new VoicePresets(config.voices());
        this.codes = new ReferenceCodes(narrator, 256);
        // Generation runs on platform threads: ORT calls are native, and a virtual thread inside one pins its carrier.
        AtomicInteger n = new AtomicInteger();
        this.generators = new ThreadPoolExecutor(config.maxConcurrent(), config.maxConcurrent(), 0, TimeUnit.SECONDS,
                config.maxQueue() == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(config.maxQueue()),
                r -> {
                    Thread t = new Thread(r, "narrator-serve-generate-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.batch = config.batched() ? narrator.newBatchScheduler(config.maxConcurrent(), "narrator-serve-batch") : null;
        this.http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        http.setExecutor(connections);
        http.createContext("/", this::handle);
    }

    /** Binds and starts serving; the narrator stays the caller's (closed after this server). */
    public static NarratorServer start(Narrator narrator, Config config, Consumer<String> log) throws IOException {
        NarratorServer s = new NarratorServer(narrator, config, log);
        s.http.start();
        return s;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** Answers so far by HTTP status. */
    public Map<Integer, Long> statusCounts() {
        Map<Integer, Long> m = new TreeMap<>();
        byStatus.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /**
     * Requests being answered now: received, their answer not yet sent and logged (one a client gave up on is still
     * generated to its end).
     */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** What the batch scheduler did (null when requests are decoded one by one). */
    public BatchScheduler.Stats batchStats() {
        return batch == null ? null : batch.stats();
    }

    /** Reference clips encoded (misses) and reused (hits). */
    public long[] clipCache() {
        return new long[] {codes.misses(), codes.hits()};
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        http.stop(0);
        active.forEach(Generation::abandon);
        generators.shutdownNow();
        connections.shutdownNow();
        try {
            generators.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (batch != null) batch.close();
    }

    // ---- request handling -------------------------------------------------------------------------------------------

    /** What the log line says about a request. */
    private static final class Outcome {
        int status;
        boolean headersSent;
        String detail = "";
    }

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        int number = requestCount.incrementAndGet();
        inFlight.incrementAndGet();
        Outcome o = new Outcome();
        String path = ex.getRequestURI().getPath();
        try {
            if (path.startsWith("/v1") && !authorized(ex)) {
                throw new ApiError(401, "AuthenticationError", null, "missing or wrong API key: send the header Authorization: Bearer <key> given to narrator serve --api-key");
            }
            route(ex, path, o);
        } catch (ApiError e) {
            sendError(ex, o, e);
        } catch (Throwable e) {
            java.util.logging.Logger.getLogger(NarratorServer.class.getName()).log(java.util.logging.Level.WARNING, "request failed", e);
            sendError(ex, o, new ApiError(500, "InternalServerError", null, "the server failed on this request: " + e));
        } finally {
            ex.close();
            byStatus.computeIfAbsent(o.status, k -> new LongAdder()).increment();
            try {
                log.accept(String.format(Locale.ROOT, "serve #%d %s %s %s %d %.0f ms%s", number, ex.getRemoteAddress().getAddress().getHostAddress(),
                        ex.getRequestMethod(), path, o.status, (System.nanoTime() - t0) / 1e6, o.detail));
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private boolean authorized(HttpExchange ex) {
        if (config.apiKey() == null || ex.getRequestMethod().equals("OPTIONS")) return true;
        String got = ex.getRequestHeaders().getFirst("Authorization");
        return got != null && MessageDigest.isEqual(got.getBytes(StandardCharsets.UTF_8), ("Bearer " + config.apiKey()).getBytes(StandardCharsets.UTF_8));
    }

    private void route(HttpExchange ex, String path, Outcome o) throws Exception {
        String method = ex.getRequestMethod();
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET");
                if (closed.get()) throw new ApiError(503, "ServiceUnavailableError", null, "the server is shutting down");
                o.status = 200;
                ex.sendResponseHeaders(200, -1);
            }
            case "/v1/models" -> {
                requireMethod(method, "GET");
                JsonObject card = new JsonObject();
                card.addProperty("id", config.modelId());
                card.addProperty("object", "model");
                card.addProperty("created", System.currentTimeMillis() / 1000);
                card.addProperty("owned_by", "higgs-narrator");
                card.addProperty("root", config.modelId());
                card.add("parent", JsonNull.INSTANCE);
                card.add("max_model_len", JsonNull.INSTANCE);
                card.add("permission", new JsonArray());
                JsonObject list = new JsonObject();
                list.addProperty("object", "list");
                JsonArray data = new JsonArray();
                data.add(card);
                list.add("data", data);
                sendJson(ex, o, 200, list);
            }
            case "/v1/audio/voices" -> {
                requireMethod(method, "GET");
                JsonArray names = new JsonArray();
                presets.all().keySet().forEach(names::add);
                sendJson(ex, o, 200, names);
            }
            case "/v1/chat/completions" -> {
                requireMethod(method, "POST");
                chat(ex, o, ChatRequest.parse(Json.parseObject(body(ex)), defaults, config.limits()));
            }
            case "/v1/audio/speech" -> {
                requireMethod(method, "POST");
                speech(ex, o, Json.parseObject(body(ex)));
            }
            default -> throw new ApiError(404, "NotFoundError", null, "no route " + path + ": this server answers /health, /v1/models,"
                    + " /v1/chat/completions, /v1/audio/speech and /v1/audio/voices");
        }
    }

    private static void requireMethod(String got, String want) {
        if (!got.equals(want)) throw new ApiError(405, "MethodNotAllowedError", null, "use " + want + " here, not " + got);
    }

    /** The body, refused (415) unless JSON and (413) above the size limit; an oversized body is drained first so the client reads the answer. */
    private byte[] body(HttpExchange ex) throws IOException {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        String media = ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) {
            throw new ApiError(415, "UnsupportedMediaTypeError", null, "Unsupported Media Type: send the body as JSON with Content-Type: application/json (got '" + ct + "')");
        }
        long max = config.maxBodyBytes();
        InputStream in = ex.getRequestBody();
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (b.length > max) {
            in.skip(256L << 20);
            throw new ApiError(413, "RequestTooLargeError", null, "the body is larger than this server's limit of " + max / 1024 + " KiB"
                    + "; send shorter reference clips (10–30 s is plenty) or start narrator serve with a larger --max-body-mb");
        }
        return b;
    }

    // ---- generation --------------------------------------------------------------------------------------------------

    /** A request's generation on the pool, feeding {@code events}: STARTED, then float[] chunks, then the Result or a Throwable. */
    private final class Generation {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final AtomicReference<ConversationJob> job = new AtomicReference<>();
        final AtomicBoolean abandoned = new AtomicBoolean();

        Generation(java.util.function.Supplier<Conversation> conversation, GenerationOptions options, boolean stream) {
            if (closed.get()) throw new ApiError(503, "ServiceUnavailableError", null, "the server is shutting down");
            active.add(this);
            try {
                generators.execute(() -> {
                    try {
                        if (abandoned.get()) throw new CancellationException("the client left");
                        ConversationJob j = new ConversationJob(narrator, conversation.get(), options);
                        job.set(j);
                        if (abandoned.get()) j.cancel();
                        events.add(STARTED);
                        events.add(j.run(stream ? (s, r) -> events.add(s) : null, batch));
                    } catch (Throwable t) {
                        events.add(t);
                    } finally {
                        active.remove(this);
                    }
                });
            } catch (RejectedExecutionException e) {
                active.remove(this);
                if (closed.get()) throw new ApiError(503, "ServiceUnavailableError", null, "the server is shutting down");
                throw new ApiError(429, "TooManyRequestsError", null, "the server is busy: " + config.maxConcurrent() + " requests generating and "
                        + config.maxQueue() + " waiting; retry after a few seconds or add servers");
            }
        }

        /** The next event; a failure before any audio is thrown (so it can still be answered with its status). */
        Object next() throws Exception {
            while (true) {
                Object e = events.poll(1, TimeUnit.SECONDS);
                if (e != null) return e;
                if (closed.get()) throw new ApiError(503, "ServiceUnavailableError", null, "the server is shutting down");
            }
        }

        void abandon() {
            abandoned.set(true);
            ConversationJob j = job.get();
            if (j != null) j.cancel();
        }
    }

    private static ApiError asApiError(Throwable t) {
        if (t instanceof ApiError a) return a;
        if (t instanceof IllegalArgumentException) return ApiError.badRequest("messages", "the request cannot be generated: " + t.getMessage());
        return new ApiError(500, "InternalServerError", null, "generation failed: " + t);
    }

    private void chat(HttpExchange ex, Outcome o, ChatRequest req) throws Exception {
        Generation g = new Generation(() -> req.conversation(c -> codes.codes(c.audio(), c.where())), req.options(), req.stream());
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        String model = req.model() != null ? req.model() : config.modelId();
        try {
            Object first = g.next();
            if (first instanceof Throwable t) throw asApiError(t);
            if (!req.stream()) {
                Object e;
                while (!((e = g.next()) instanceof ConversationJob.Result) && !(e instanceof Throwable)) {
                    // no audio events without streaming
                }
                if (e instanceof Throwable t) throw asApiError(t);
                ConversationJob.Result r = (ConversationJob.Result) e;
                JsonObject audio = audioObject(Base64.getEncoder().encodeToString(encode(r.pcm(), r.sampleRate(), req.audioFormat())));
                JsonObject message = new JsonObject();
                message.addProperty("role", "assistant");
                message.addProperty("content", "");
                message.add("audio", audio);
                message.add("tool_calls", new JsonArray());
                JsonObject choice = new JsonObject();
                choice.addProperty("index", 0);
                choice.add("message", message);
                choice.add("logprobs", JsonNull.INSTANCE);
                choice.addProperty("finish_reason", finishReason(r));
                JsonObject resp = completion(id, "chat.completion", created, model, choice);
                resp.add("usage", usage(r));
                o.detail = String.format(Locale.ROOT, " audio %.2f s, seed %d", r.seconds(), req.options().seed());
                sendJson(ex, o, 200, resp);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            o.status = 200;
            o.headersSent = true;
            OutputStream out = ex.getResponseBody();
            JsonObject delta = new JsonObject();
            delta.addProperty("role", "assistant");
            delta.addProperty("content", "");
            event(out, completion(id, "chat.completion.chunk", created, model, streamChoice(delta, null)));
            long samples = 0;
            double ttfb = -1;
            long t0 = System.nanoTime();
            while (true) {
                Object e = g.next();
                if (e instanceof float[] s) {
                    if (ttfb < 0) ttfb = (System.nanoTime() - t0) / 1e9;
                    samples += s.length;
                    JsonObject d = new JsonObject();
                    d.add("audio", audioObject(Base64.getEncoder().encodeToString(Pcm16.encode(s))));
                    event(out, completion(id, "chat.completion.chunk", created, model, streamChoice(d, null)));
                } else if (e instanceof ConversationJob.Result r) {
                    event(out, completion(id, "chat.completion.chunk", created, model, streamChoice(new JsonObject(), finishReason(r))));
                    if (req.includeUsage()) {
                        JsonObject u = completion(id, "chat.completion.chunk", created, model, null);
                        u.add("usage", usage(r));
                        event(out, u);
                    }
                    o.detail = String.format(Locale.ROOT, " stream, audio %.2f s, first audio after %.0f ms, seed %d", r.seconds(), ttfb * 1000, req.options().seed());
                    break;
                } else if (e instanceof Throwable t) {
                    ApiError a = asApiError(t);
                    JsonObject err = new JsonObject();
                    err.add("error", errorBody(a));
                    event(out, err);
                    o.detail = " stream failed: " + a.getMessage();
                    break;
                }
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            g.abandon();   // the client went away: stop generating for it
            o.detail = " client left: " + e.getMessage();
        } catch (Exception e) {
            g.abandon();
            throw e;
        }
    }

    private static JsonObject audioObject(String data) {
        JsonObject a = new JsonObject();
        a.addProperty("id", "audio-" + UUID.randomUUID().toString().replace("-", ""));
        a.addProperty("data", data);
        a.addProperty("expires_at", 0);
        a.addProperty("transcript", "");
        return a;
    }

    private static String finishReason(ConversationJob.Result r) {
        return r.stop() == GenerationResult.Stop.FRAME_LIMIT ? "length" : "stop";
    }

    private static JsonObject usage(ConversationJob.Result r) {
        JsonObject u = new JsonObject();
        u.addProperty("prompt_tokens", r.promptTokens());
        u.addProperty("completion_tokens", r.frames());
        u.addProperty("total_tokens", r.promptTokens() + r.frames());
        return u;
    }

    private static JsonObject completion(String id, String object, long created, String model, JsonObject choice) {
        JsonObject c = new JsonObject();
        c.addProperty("id", id);
        c.addProperty("object", object);
        c.addProperty("created", created);
        c.addProperty("model", model);
        JsonArray choices = new JsonArray();
        if (choice != null) choices.add(choice);
        c.add("choices", choices);
        return c;
    }

    private static JsonObject streamChoice(JsonObject delta, String finish) {
        JsonObject c = new JsonObject();
        c.addProperty("index", 0);
        c.add("delta", delta);
        c.add("logprobs", JsonNull.INSTANCE);
        if (finish == null) c.add("finish_reason", JsonNull.INSTANCE);
        else c.addProperty("finish_reason", finish);
        return c;
    }

    private static void event(OutputStream out, JsonObject data) throws IOException {
        out.write(("data: " + GSON.toJson(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The whole answer in the requested format (wav / pcm16 / flac / mp3). */
    private static byte[] encode(float[] pcm, int rate, String format) throws IOException {
        AudioClip clip = new AudioClip(pcm, rate);
        return switch (format) {
            case "wav" -> Pcm16.wav(clip);
            case "pcm", "pcm16" -> Pcm16.encode(pcm);
            case "flac", "mp3" -> {
                Path tmp = Files.createTempFile("narrator-serve", "." + format);
                try {
                    new AudioExporter().export(clip, tmp, format.equals("mp3") ? AudioExporter.Format.MP3 : AudioExporter.Format.FLAC);
                    yield Files.readAllBytes(tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            default -> throw new IllegalArgumentException("unknown audio format " + format);
        };
    }

    // ---- /v1/audio/speech ----------------------------------------------------------------------------------------------

    private void speech(HttpExchange ex, Outcome o, JsonObject body) throws Exception {
        // AudioSpeechRequest (protocol.py:1743-1790): model, input and voice are required.
        for (String f : List.of("model", "input", "voice")) {
            if (Json.string(body, f, null) == null) throw ApiError.badRequest(f, f + " is required (model, input and voice; voice is one of GET /v1/audio/voices)");
        }
        String input = Json.string(body, "input", null);
        if (input.isBlank()) throw ApiError.badRequest("input", "input is empty: nothing to speak");
        if (input.length() > config.limits().maxTextChars()) {
            throw ApiError.badRequest("input", "input has " + input.length() + " characters; at most " + config.limits().maxTextChars() + " per request");
        }
        String format = Json.string(body, "response_format", "pcm").toLowerCase(Locale.ROOT);
        if (!List.of("pcm", "wav", "mp3").contains(format)) throw ApiError.badRequest("response_format", "response_format must be pcm, wav or mp3, got '" + format + "'");
        GenerationOptions options = ChatRequest.options(body, defaults, config.limits(), false);
        String voice = Json.string(body, "voice", null);
        Map<String, VoicePresets.Preset> all = presets.all();
        VoicePresets.Preset preset = all.get(voice);
        if (preset == null && !all.isEmpty()) {
            // As the official server (serving_audio.py:287-291): an unknown voice falls back to the first preset.
            preset = all.values().iterator().next();
            o.detail += " voice '" + voice + "' unknown, using " + preset.name() + ";";
        }
        VoicePresets.Preset p = preset;
        // serving_audio.py:253-283: system, then the preset's transcript and clip, then the input.
        java.util.function.Supplier<Conversation> conversation = () -> {
            List<Conversation.Message> m = new ArrayList<>();
            String system = TTS_SYSTEM_PROMPT;
            if (p != null && p.systemPrompt() != null) {
                system = p.systemPrompt();
            } else if (p != null) {
                byte[] clip;
                try {
                    clip = Files.readAllBytes(p.audioFile());
                } catch (IOException e) {
                    throw new ApiError(500, "InternalServerError", "voice", "voice preset " + p.name() + ": cannot read " + p.audioFile() + ": " + e.getMessage());
                }
                m.add(new Conversation.UserText(p.transcript()));
                m.add(new Conversation.AssistantAudio(codes.codes(clip, "voice preset " + p.name())));
            }
            m.add(new Conversation.UserText(input));
            SystemPrompt.Parsed sp = SystemPrompt.read(system);
            return new Conversation(sp.system(), sp.scene(), m);
        };
        boolean stream = format.equals("pcm");
        Generation g = new Generation(conversation, options, stream);
        try {
            Object first = g.next();
            if (first instanceof Throwable t) throw asApiError(t);
            String contentType = switch (format) {
                case "wav" -> "audio/wav";
                case "mp3" -> "audio/mpeg";
                default -> "audio/pcm";
            };
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("X-Sample-Rate", String.valueOf(narrator.sampleRate()));
            if (!stream) {
                Object e;
                while (!((e = g.next()) instanceof ConversationJob.Result) && !(e instanceof Throwable)) {
                    // collecting
                }
                if (e instanceof Throwable t) throw asApiError(t);
                ConversationJob.Result r = (ConversationJob.Result) e;
                byte[] bytes = encode(r.pcm(), r.sampleRate(), format);
                o.detail += String.format(Locale.ROOT, " audio %.2f s %s", r.seconds(), format);
                ex.sendResponseHeaders(200, bytes.length);
                o.status = 200;
                o.headersSent = true;
                ex.getResponseBody().write(bytes);
                return;
            }
            ex.sendResponseHeaders(200, 0);
            o.status = 200;
            o.headersSent = true;
            OutputStream out = ex.getResponseBody();
            while (true) {
                Object e = g.next();
                if (e instanceof float[] s) {
                    out.write(Pcm16.encode(s));
                    out.flush();
                } else if (e instanceof ConversationJob.Result r) {
                    o.detail += String.format(Locale.ROOT, " audio %.2f s pcm", r.seconds());
                    break;
                } else if (e instanceof Throwable t) {
                    // Mid-stream the status is sent: end the body early, as the official server ends its stream.
                    o.detail += " stream failed: " + asApiError(t).getMessage();
                    break;
                }
            }
        } catch (IOException e) {
            g.abandon();
            o.detail += " client left: " + e.getMessage();
        } catch (Exception e) {
            g.abandon();
            throw e;
        }
    }

    // ---- answers -------------------------------------------------------------------------------------------------------

    private static JsonObject errorBody(ApiError e) {
        JsonObject err = new JsonObject();
        err.addProperty("object", "error");
        err.addProperty("message", e.getMessage());
        err.addProperty("type", e.type());
        if (e.param() == null) err.add("param", JsonNull.INSTANCE);
        else err.addProperty("param", e.param());
        err.addProperty("code", e.status());
        return err;
    }

    private void sendError(HttpExchange ex, Outcome o, ApiError e) {
        if (o.detail.isEmpty() || !o.headersSent) o.detail = " " + e.getMessage();
        if (o.headersSent) return;   // mid-stream: nothing more can be said in HTTP terms
        if (e.status() == 429) ex.getResponseHeaders().set("Retry-After", "2");
        try {
            sendJson(ex, o, e.status(), errorBody(e));
        } catch (IOException ignored) {
            o.status = e.status();   // the client left before its error
        }
    }

    private static void sendJson(HttpExchange ex, Outcome o, int status, com.google.gson.JsonElement body) throws IOException {
        byte[] b = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        o.status = status;
        o.headersSent = true;
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
