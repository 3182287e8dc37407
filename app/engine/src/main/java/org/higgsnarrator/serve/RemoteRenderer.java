package org.higgsnarrator.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.Pcm16;
import org.higgsnarrator.audio.ReferenceClipPreparer;
import org.higgsnarrator.audio.Resampler;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.ChapterSplitter;
import org.higgsnarrator.engine.Conversation;
import org.higgsnarrator.engine.ConversationPlanner;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.engine.LexiconStep;
import org.higgsnarrator.engine.RenderCheckpoint;
import org.higgsnarrator.engine.SynthesisRequest;
import org.higgsnarrator.engine.Voice;
import org.higgsnarrator.io.AtomicFiles;
import org.higgsnarrator.lexicon.Lexicon;

/**
 * Renders a script on Higgs Audio servers instead of the local engine. The script is split and each chunk's prompt
 * planned exactly as a local render does ({@link ChapterSplitter}, {@link ConversationPlanner}); each prompt travels as
 * a chat-completion request: the system message with its scene block, a reference voice as a user turn (its
 * transcript) and an assistant turn (its clip file, base64), earlier chunks as user text + assistant audio (the WAV
 * the server returned: the server re-encodes it, where a local render reuses the generated codes), then the chunk's
 * text. Chunk i is sampled with seed + i, as locally, so on {@code narrator serve} with the same package a chunk is
 * the local take sample for sample.
 *
 * <p>Scheduling: every server has {@code slots} workers that take the next chunk that is ready — all chunks when
 * chunks carry no context ({@code chunkBufferSize} 0), else the next one in order — so work goes to whichever server
 * has the least outstanding. A server that fails (unreachable, 429/5xx) gets its chunk put back for the others and
 * rests (1, 2, 4 … 30 s, then a health check) before it takes work again; one that refuses this client (401, 404,
 * 413) is dropped; a 400 (the request itself is wrong) ends the render with the server's message. The render fails
 * when no server is left, when no server took a chunk for {@code giveUpAfter} (all down), or when one chunk failed
 * 3 + 2 × servers times ({@link #retries}: 1 for a caller that re-queues the work elsewhere itself, as the studio's queue).
 *
 * <p>Resumable (docs/serving.md "Resuming"): with a parts folder every chunk the servers return is kept there as a WAV
 * file ({@code remote-00012.wav}, written atomically) under a {@code job.properties} fingerprint of the job (script,
 * voices' files and transcripts, profiles, scene, options, lexicon: {@link RenderCheckpoint#claim}); running the same
 * job again sends only the chunks not received yet, and the received ones are the context of the chunks after them.
 */
public final class RemoteRenderer {
    /** A cloned voice as a client has it: the clip file and its transcript. */
    public record ClipVoice(String name, Path clip, String transcript) {}

    /** What happens, for progress lines and the studio's queue; called from worker threads. */
    public interface Listener {
        default void onChunkStart(int index, int count, ScriptChunk chunk, RenderServer server) {}

        default void onChunkDone(int index, int count, ScriptChunk chunk, RenderServer server, double seconds) {}

        /** A chunk failed on a server and goes back to the queue (or the server is dropped). */
        default void onServerFailed(int index, RenderServer server, String reason) {}

        /** Before any request: {@code done} of {@code count} chunks were received by an earlier run and are kept. */
        default void onResume(int done, int count) {}
    }

    /** The rendered audio and which server rendered each chunk. */
    public record Result(float[] pcm, int sampleRate, List<ScriptChunk> chunks, List<String> servers) {
        public double seconds() {
            return (double) pcm.length / sampleRate;
        }
    }

    /** The official example's stop strings (run_chat_completion.py:101); Boson's server needs them, ours ignores them. */
    static final List<String> STOP = List.of("<|eot_id|>", "<|end_of_text|>", "<|audio_eos|>");

    private final List<RenderServer> servers;
    private final int slots;
    private final Duration giveUpAfter;
    private int maxAttempts = -1;
    private volatile Queue running;
    private volatile boolean cancelled;

    /**
     * @param slots       requests in flight per server (1 suits a CPU server; a GPU server batches several)
     * @param giveUpAfter how long the render may wait with every server down before it fails
     */
    public RemoteRenderer(List<RenderServer> servers, int slots, Duration giveUpAfter) {
        if (servers.isEmpty()) throw new IllegalArgumentException("no render server given");
        if (slots < 1) throw new IllegalArgumentException("slots per server must be ≥ 1, got " + slots);
        this.servers = List.copyOf(servers);
        this.slots = slots;
        this.giveUpAfter = giveUpAfter;
    }

    /**
     * How many failed tries of one chunk (over all servers) end the render; by default 3 + 2 × servers. With 1, the
     * first failure ends it with that {@link RenderServer.Failure} (its kind says whether another server may succeed),
     * for a caller that schedules the work on other servers itself.
     */
    public RemoteRenderer retries(int attempts) {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be ≥ 1, got " + attempts);
        this.maxAttempts = attempts;
        return this;
    }

    /** Stops the render: {@link #render} throws {@link java.util.concurrent.CancellationException}; received chunks stay in the parts folder. */
    public void cancel() {
        cancelled = true;
        Queue q = running;
        if (q != null) q.stop();
    }

    public Result render(String script, List<ClipVoice> clips, Map<String, String> profiles, List<String> scene, GenerationOptions options,
                         Listener listener) throws IOException, InterruptedException {
        return render(script, clips, profiles, scene, options, Lexicon.EMPTY, listener, null, false);
    }

    /**
     * Renders resumably: chunks already in {@code parts} (from an earlier run of the same job) are not sent again.
     *
     * @param lexicon pronunciation rules applied to each chunk's text, as a local render does ({@link LexiconStep})
     * @param parts   the folder kept until the caller has written its output (then {@link RenderCheckpoint#delete});
     *                null: nothing kept
     * @param fresh   discard what {@code parts} holds
     */
    public Result render(String script, List<ClipVoice> clips, Map<String, String> profiles, List<String> scene, GenerationOptions options,
                         Lexicon lexicon, Listener listener, Path parts, boolean fresh) throws IOException, InterruptedException {
        Listener l = listener == null ? new Listener() {} : listener;
        List<ScriptChunk> chunks = new ChapterSplitter().split(script, options.chunkMaxWords());
        if (chunks.isEmpty()) throw new IllegalArgumentException("the script has no words to narrate");

        // Voices stand in the planner with a marker instead of codes; the marker's identity says which clip file it is.
        IdentityHashMap<int[][], byte[]> audioOf = new IdentityHashMap<>();
        Map<int[][], String> formatOf = new IdentityHashMap<>();
        Map<String, Voice> voices = new LinkedHashMap<>();
        for (ClipVoice c : clips) {
            int[][] marker = new int[][] {{}};
            byte[] bytes = Files.readAllBytes(c.clip());
            audioOf.put(marker, bytes);
            formatOf.put(marker, extension(c.clip()));
            voices.put(c.name(), Voice.cloned(c.name(), marker, c.transcript()));
        }
        for (var e : profiles.entrySet()) voices.put(e.getKey(), Voice.described(e.getKey(), e.getValue()));
        if (lexicon != null && !lexicon.isEmpty()) {
            chunks = List.copyOf(LexiconStep.apply(new SynthesisRequest(script, voices, scene, options, lexicon), chunks));
        }
        final List<ScriptChunk> planned = chunks;
        // TURNS: the chat request (chatBody) carries audio only in assistant turns, so clip voices stay turns here even
        // beside a described voice — unlike local narration, which follows Boson's layout (docs/fidelity.md item 4)
        ConversationPlanner planner = new ConversationPlanner(voices, scene, chunks, ConversationPlanner.ClipPlacement.TURNS);

        Queue queue = new Queue(chunks.size(), options.chunkBufferSize() > 0, giveUpAfter, maxAttempts > 0 ? maxAttempts : 3 + 2 * servers.size());
        queue.parts = parts;
        if (parts != null) {
            boolean same = RenderCheckpoint.claim(parts, fingerprint(chunks, clips, profiles, scene, options), chunks.size(), fresh);
            int kept = same ? queue.load(parts) : 0;
            if (kept > 0) l.onResume(kept, chunks.size());
        }
        running = queue;
        if (cancelled) queue.stop();
        List<Thread> workers = new ArrayList<>();
        for (RenderServer s : servers) {
            for (int k = 0; k < slots; k++) {
                Thread t = Thread.ofPlatform().daemon().name("render-" + s.uri().getAuthority() + "-" + k).start(() -> work(s, queue, planned, planner,
                        audioOf, formatOf, options, l));
                workers.add(t);
            }
        }
        try {
            queue.awaitEnd(servers.size() * slots);
        } finally {
            queue.stop();
            for (Thread t : workers) t.interrupt();
            for (Thread t : workers) t.join(5000);
            running = null;
        }
        int rate = queue.clips[0].sampleRate();
        int total = 0;
        for (AudioClip c : queue.clips) total += Resampler.resample(c.toMono(), rate).frames();
        float[] pcm = new float[total];
        int at = 0;
        List<String> by = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            float[] s = Resampler.resample(queue.clips[i].toMono(), rate).samples();
            System.arraycopy(s, 0, pcm, at, s.length);
            at += s.length;
            by.add(queue.renderedBy[i]);
        }
        return new Result(pcm, rate, chunks, by);
    }

    private void work(RenderServer server, Queue queue, List<ScriptChunk> chunks, ConversationPlanner planner, IdentityHashMap<int[][], byte[]> audioOf,
                      Map<int[][], String> formatOf, GenerationOptions options, Listener l) {
        int failures = 0;
        try {
            while (true) {
                int i = queue.take();
                if (i < 0) return;
                ScriptChunk chunk = chunks.get(i);
                l.onChunkStart(i, chunks.size(), chunk, server);
                try {
                    JsonObject body = body(planner, chunks, i, queue, audioOf, formatOf, options);
                    AudioClip clip = server.chat(body);
                    queue.keep(i, clip);
                    queue.done(i, clip, server.toString());
                    failures = 0;
                    l.onChunkDone(i, chunks.size(), chunk, server, clip.seconds());
                } catch (RenderServer.Failure f) {
                    if (queue.ended()) return; // stopped or cancelled meanwhile: the interrupted request is no failure
                    queue.putBack(i, f);
                    l.onServerFailed(i, server, f.getMessage());
                    switch (f.kind()) {
                        case BAD_REQUEST -> {
                            queue.fail(new RenderServer.Failure(RenderServer.Failure.Kind.BAD_REQUEST, "chunk " + (i + 1) + " was refused by " + server + ": "
                                    + f.getMessage(), f));
                            return;
                        }
                        case SERVER_REFUSES -> {
                            queue.serverLost(f);
                            return;
                        }
                        case TRANSIENT -> {
                            failures++;
                            rest(server, failures, queue);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            queue.fail(new IOException("rendering on " + server + " failed: " + e.getMessage(), e));
        }
    }

    /** Waits 1, 2, 4 … 30 s, then until the server's health check passes. */
    private static void rest(RenderServer server, int failures, Queue queue) throws InterruptedException {
        long ms = Math.min(30_000, 1000L << Math.min(5, failures - 1));
        Thread.sleep(ms);
        while (!queue.ended() && !server.healthy()) Thread.sleep(Math.min(30_000, ms *= 2));
    }

    /** Chunk i's chat-completion body, as the official client example lays one out. */
    JsonObject body(ConversationPlanner planner, List<ScriptChunk> chunks, int i, Queue queue, IdentityHashMap<int[][], byte[]> audioOf,
                    Map<int[][], String> formatOf, GenerationOptions o) {
        List<ConversationPlanner.Generated> context = new ArrayList<>();
        IdentityHashMap<int[][], byte[]> audio = new IdentityHashMap<>(audioOf);
        for (int j = Math.max(0, i - o.chunkBufferSize()); j < i && o.chunkBufferSize() > 0; j++) {
            // A silent chunk carries no voice and servers refuse silent clips (the reference-clip rule): leave it out.
            if (silent(queue.clips[j])) continue;
            int[][] marker = new int[][] {{}};
            audio.put(marker, Pcm16.wav(queue.clips[j]));
            context.add(new ConversationPlanner.Generated(planner.userText(chunks.get(j)), marker));
        }
        Conversation c = planner.conversation(chunks.get(i), context);
        return chatBody(c, audio, formatOf, o.withSeed(o.seed() + i));
    }

    private static boolean silent(AudioClip clip) {
        try {
            new ReferenceClipPreparer().prepare(clip, "chunk");
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** A conversation as a chat-completion request; {@code audio} gives each assistant turn's file by its codes' identity. */
    static JsonObject chatBody(Conversation c, Map<int[][], byte[]> audio, Map<int[][], String> formatOf, GenerationOptions o) {
        JsonArray messages = new JsonArray();
        // no system message when the plan has none (Boson's layout for cloned voices without a scene)
        if (!c.sceneClips().isEmpty()) throw new IllegalArgumentException("a remote render request cannot carry clips in the system message");
        if (c.system() != null) messages.add(message("system", SystemPrompt.write(c.system(), c.scene())));
        for (Conversation.Message m : c.messages()) {
            switch (m) {
                case Conversation.UserText u -> messages.add(message("user", u.text()));
                case Conversation.AssistantAudio a -> {
                    byte[] bytes = audio.get(a.codes());
                    if (bytes == null) throw new IllegalStateException("no audio for an assistant turn");
                    JsonObject inner = new JsonObject();
                    inner.addProperty("data", Base64.getEncoder().encodeToString(bytes));
                    inner.addProperty("format", formatOf.getOrDefault(a.codes(), "wav"));
                    JsonObject part = new JsonObject();
                    part.addProperty("type", "input_audio");
                    part.add("input_audio", inner);
                    JsonArray content = new JsonArray();
                    content.add(part);
                    JsonObject msg = new JsonObject();
                    msg.addProperty("role", "assistant");
                    msg.add("content", content);
                    messages.add(msg);
                }
            }
        }
        JsonObject b = new JsonObject();
        b.add("messages", messages);
        JsonArray modalities = new JsonArray();
        modalities.add("text");
        modalities.add("audio");
        b.add("modalities", modalities);
        b.addProperty("stream", false);
        b.addProperty("max_completion_tokens", o.maxFrames());
        b.addProperty("temperature", o.greedy() ? 0.0 : o.temperature());
        b.addProperty("top_p", o.topP());
        b.addProperty("top_k", o.topK());
        b.addProperty("seed", o.seed());
        b.addProperty("ras_win_len", o.rasWindow());
        b.addProperty("ras_win_max_num_repeat", o.rasMaxRepeats());
        JsonArray stop = new JsonArray();
        STOP.forEach(stop::add);
        b.add("stop", stop);
        return b;
    }

    private static JsonObject message(String role, String text) {
        JsonObject m = new JsonObject();
        m.addProperty("role", role);
        m.addProperty("content", text);
        return m;
    }

    /** What identifies a remote job's chunks: the texts as sent (lexicon applied), the voices' files and transcripts, the profiles, scene and options. */
    static String fingerprint(List<ScriptChunk> chunks, List<ClipVoice> clips, Map<String, String> profiles, List<String> scene, GenerationOptions o)
            throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder("remote-v1\n").append(o).append('\n').append(scene).append('\n').append(new java.util.TreeMap<>(profiles)).append('\n');
            for (ScriptChunk c : chunks) sb.append(c).append('\n');
            md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            for (ClipVoice c : clips) {
                md.update((c.name() + "\u0000" + c.transcript() + "\u0000").getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(c.clip()));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file a received chunk is kept in. */
    static Path chunkFile(Path parts, int index) {
        return parts.resolve(String.format(Locale.ROOT, "remote-%05d.wav", index));
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "wav" : n.substring(dot + 1);
    }

    /** Chunks to render, in order of readiness; shared by the workers. */
    static final class Queue {
        private final boolean chained;
        private final long giveUpNanos;
        private final int maxAttempts;
        final AudioClip[] clips;
        final String[] renderedBy;
        private final boolean[] taken;
        private final int[] failures;
        private int doneCount, lostServers, inFlight;
        private long lastActivity = System.nanoTime();
        private IOException failure;
        private RenderServer.Failure lastLost;
        private boolean stopped;
        Path parts;

        /** @param maxAttempts failed tries of one chunk (over all servers) before the render gives up */
        Queue(int n, boolean chained, Duration giveUpAfter, int maxAttempts) {
            this.chained = chained;
            this.giveUpNanos = giveUpAfter.toNanos();
            this.maxAttempts = maxAttempts;
            this.clips = new AudioClip[n];
            this.renderedBy = new String[n];
            this.taken = new boolean[n];
            this.failures = new int[n];
        }

        /** The next ready chunk, waiting for one; -1 when the render has ended. */
        synchronized int take() throws InterruptedException {
            while (true) {
                if (ended()) return -1;
                for (int i = 0; i < clips.length; i++) {
                    if (taken[i]) continue;
                    if (!chained || i == 0 || clips[i - 1] != null) {
                        taken[i] = true;
                        inFlight++;
                        lastActivity = System.nanoTime();
                        return i;
                    }
                    break;
                }
                wait(500);
            }
        }

        /** Chunks received by an earlier run (their files in {@code dir}); returns how many. */
        synchronized int load(Path dir) throws IOException {
            int n = 0;
            for (int i = 0; i < clips.length; i++) {
                Path f = chunkFile(dir, i);
                if (!Files.isRegularFile(f)) continue;
                clips[i] = Pcm16.readWav(Files.readAllBytes(f), f.toString());
                renderedBy[i] = "(received earlier)";
                taken[i] = true;
                doneCount++;
                n++;
            }
            return n;
        }

        /** Keeps chunk i's audio in the parts folder (atomically: a kill leaves the file whole or absent). */
        void keep(int i, AudioClip clip) {
            if (parts == null) return;
            try {
                byte[] wav = Pcm16.wav(clip);
                AtomicFiles.write(chunkFile(parts, i), out -> out.write(wav));
            } catch (IOException e) {
                fail(new IOException("cannot keep chunk " + (i + 1) + " in " + parts + ": " + e.getMessage(), e));
            }
        }

        synchronized void done(int i, AudioClip clip, String server) {
            if (clips[i] == null) doneCount++;
            clips[i] = clip;
            renderedBy[i] = server;
            inFlight--;
            lastActivity = System.nanoTime();
            notifyAll();
        }

        /** A failed try: the chunk is free again for any server. */
        synchronized void putBack(int i, RenderServer.Failure why) {
            if (clips[i] == null) taken[i] = false;
            inFlight--;
            lastActivity = System.nanoTime();
            if (++failures[i] >= maxAttempts && failure == null) {
                failure = maxAttempts == 1 ? why
                        : new RenderServer.Failure(why.kind(), "chunk " + (i + 1) + " failed " + failures[i] + " times; the last: " + why.getMessage(), why);
            }
            notifyAll();
        }

        synchronized void fail(IOException e) {
            if (failure == null) failure = e;
            notifyAll();
        }

        synchronized void serverLost(RenderServer.Failure why) {
            lostServers++;
            lastLost = why;
            notifyAll();
        }

        synchronized void stop() {
            stopped = true;
            notifyAll();
        }

        synchronized boolean ended() {
            return stopped || failure != null || doneCount == clips.length;
        }

        /** Until every chunk is done; throws when the render cannot finish. */
        synchronized void awaitEnd(int workers) throws IOException, InterruptedException {
            while (doneCount < clips.length) {
                if (failure != null) throw failure;
                if (lostServers >= workers) {
                    throw new RenderServer.Failure(RenderServer.Failure.Kind.SERVER_REFUSES, "no render server is left: every server refused this client"
                            + (lastLost == null ? "" : " (the last: " + lastLost.getMessage() + ")"), lastLost);
                }
                if (stopped) throw new java.util.concurrent.CancellationException("remote render cancelled");
                if (inFlight == 0 && System.nanoTime() - lastActivity > giveUpNanos) {
                    throw new RenderServer.Failure(RenderServer.Failure.Kind.TRANSIENT, "no render server took a chunk for " + giveUpNanos / 1_000_000_000
                            + " s: the servers are down or unreachable (" + doneCount + " of " + clips.length + " chunks done)", null);
                }
                wait(500);
            }
        }
    }
}
