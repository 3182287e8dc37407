package org.higgsnarrator.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.Conversation;
import org.higgsnarrator.engine.ConversationPlanner;

/**
 * A {@code POST /v1/chat/completions} body, checked, as this server runs it. The shape is the official server's
 * {@code ChatCompletionRequest} (higgs-audio-vllm vllm/entrypoints/openai/protocol.py:223-300, {@code audio} :179-184)
 * as the official client example sends it (higgs-audio examples/vllm/run_chat_completion.py:34-51 smart voice,
 * :63-102 voice clone, :131-156 multi-speaker):
 * <ul>
 *   <li>{@code messages}: an optional first {@code system} message (instruction + optional scene block, see
 *   {@link SystemPrompt}); {@code user} messages with text (a string or {@code text} parts); {@code assistant} messages
 *   holding one {@code input_audio} part ({@code {"data": base64, "format": "wav"}}) or an {@code audio_url} data URL —
 *   a reference clip or an earlier generated chunk; the last message is the {@code user} text to speak.</li>
 *   <li>{@code temperature} (0 = greedy), {@code top_p}, {@code top_k} (extra body; 0 or -1 = off), {@code seed},
 *   {@code max_completion_tokens} (or {@code max_tokens}) = the frame limit, {@code stream},
 *   {@code stream_options.include_usage}, {@code audio.format} (wav, mp3, flac, pcm16), {@code modalities} (must allow
 *   audio). {@code stop} and {@code audio.voice} are accepted and not used (generation stops at the audio stream's end,
 *   the voice comes from the messages). Extensions: {@code ras_win_len} and {@code ras_win_max_num_repeat}, the
 *   repetition-aware sampling window and threshold (names of higgs-audio's {@code generate}).</li>
 * </ul>
 * Reference clips stay bytes here; the server encodes them (cached by content hash) when the request is admitted.
 */
public record ChatRequest(String model, String system, List<String> scene, List<Turn> turns, GenerationOptions options, boolean stream,
                          boolean includeUsage, String audioFormat) {
    /** A user text or an assistant clip (the encoded file's bytes), in order. */
    public sealed interface Turn permits UserText, AssistantClip {}

    public record UserText(String text) implements Turn {}

    /** @param where the field it came from, for error messages ({@code messages[1].content[0].input_audio.data}) */
    public record AssistantClip(byte[] audio, String where) implements Turn {}

    /** Limits against oversized work; the body size is limited before parsing. */
    public record Limits(int maxFrames, int maxClips, int maxTextChars) {
        public static final Limits DEFAULT = new Limits(org.higgsnarrator.pkg.PackageManifest.SamplingDefaults.release().maxFrames(), 50, 20_000);
    }

    static final Set<String> AUDIO_FORMATS = Set.of("wav", "mp3", "flac", "pcm16");

    public static ChatRequest parse(JsonObject body, GenerationOptions defaults, Limits limits) {
        String model = Json.string(body, "model", null);
        JsonArray messages = Json.array(body, "messages");
        if (messages == null || messages.isEmpty()) throw ApiError.badRequest("messages", "messages is required: a list of chat messages ending with the user text to speak");
        if (Json.intValue(body, "n", 1) != 1) throw ApiError.badRequest("n", "n must be 1: this server generates one audio per request");
        JsonArray modalities = Json.array(body, "modalities");
        if (modalities != null && !modalities.toString().contains("\"audio\"")) {
            throw ApiError.badRequest("modalities", "this server generates audio: modalities must include \"audio\" (as [\"text\", \"audio\"])");
        }
        String format = "wav";
        JsonObject audio = Json.object(body, "audio");
        if (audio != null) {
            format = Json.string(audio, "format", "wav").toLowerCase(Locale.ROOT);
            if (!AUDIO_FORMATS.contains(format)) throw ApiError.badRequest("audio.format", "audio.format '" + format + "' is not supported here: use wav, mp3, flac or pcm16");
        }
        boolean stream = Json.bool(body, "stream", false);
        JsonObject streamOptions = Json.object(body, "stream_options");
        boolean includeUsage = streamOptions != null && Json.bool(streamOptions, "include_usage", false);
        if (body.has("stop") && !body.get("stop").isJsonNull() && !body.get("stop").isJsonPrimitive() && !body.get("stop").isJsonArray()) {
            throw ApiError.badRequest("stop", "stop must be a string or a list of strings");
        }

        String system = ConversationPlanner.SYSTEM;
        List<String> scene = List.of();
        List<Turn> turns = new ArrayList<>();
        int clips = 0, chars = 0;
        for (int i = 0; i < messages.size(); i++) {
            String where = "messages[" + i + "]";
            if (!messages.get(i).isJsonObject()) throw ApiError.badRequest(where, where + " must be an object with role and content");
            JsonObject m = messages.get(i).getAsJsonObject();
            String role = Json.string(m, "role", null);
            if (role == null) throw ApiError.badRequest(where + ".role", where + " has no role (system, user or assistant)");
            JsonElement content = m.get("content");
            switch (role) {
                case "system", "developer" -> {
                    if (i != 0) throw ApiError.badRequest(where + ".role", "only the first message may be the system message (" + where + " is one)");
                    String text = text(content, where);
                    chars += text.length();
                    SystemPrompt.Parsed p = SystemPrompt.read(text);
                    system = p.system().isBlank() ? ConversationPlanner.SYSTEM : p.system();
                    scene = p.scene();
                }
                case "user" -> {
                    String text = text(content, where);
                    if (text.isBlank()) throw ApiError.badRequest(where + ".content", where + " (user) has no text");
                    chars += text.length();
                    turns.add(new UserText(text));
                }
                case "assistant" -> {
                    turns.add(clip(content, where));
                    if (++clips > limits.maxClips()) {
                        throw ApiError.badRequest("messages", "more than " + limits.maxClips() + " audio clips in one request; send fewer reference or context turns");
                    }
                }
                default -> throw ApiError.badRequest(where + ".role", where + " has role '" + role + "'; use system, user or assistant");
            }
        }
        if (turns.isEmpty() || !(turns.getLast() instanceof UserText)) {
            throw ApiError.badRequest("messages", "the last message must be the user text to speak");
        }
        if (chars > limits.maxTextChars()) {
            throw ApiError.badRequest("messages", "the messages hold " + chars + " characters of text; at most " + limits.maxTextChars()
                    + " per request (split long texts into chunks of a few sentences)");
        }
        return new ChatRequest(model, system, scene, turns, options(body, defaults, limits, true), stream, includeUsage, format);
    }

    /**
     * Sampling fields shared by chat completions and speech requests, over the server's defaults.
     *
     * @param chat true for chat completions ({@code max_completion_tokens} or {@code max_tokens}), false for speech
     *             ({@code max_tokens})
     */
    static GenerationOptions options(JsonObject body, GenerationOptions d, Limits limits, boolean chat) {
        double temperature = Json.number(body, "temperature", d.temperature());
        if (!(temperature >= 0) || !Double.isFinite(temperature)) throw ApiError.badRequest("temperature", "temperature must be ≥ 0 (0 = greedy), got " + temperature);
        double topP = Json.number(body, "top_p", d.topP());
        if (!(topP > 0 && topP <= 1)) throw ApiError.badRequest("top_p", "top_p must be in (0, 1], got " + topP);
        int topK = Json.intValue(body, "top_k", d.topK());
        if (topK < -1) throw ApiError.badRequest("top_k", "top_k must be ≥ 0, or -1 / 0 for off; got " + topK);
        // As the official server: without a seed every request draws a new take.
        long seed = body.has("seed") && !body.get("seed").isJsonNull() ? Json.longValue(body, "seed", 0)
                : java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 31);
        int maxFrames = Json.intValue(body, chat && body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens", limits.maxFrames());
        if (maxFrames < 1 || maxFrames > limits.maxFrames()) {
            throw ApiError.badRequest(chat ? "max_completion_tokens" : "max_tokens", "the frame limit must be 1…" + limits.maxFrames() + " (25 frames per second), got " + maxFrames);
        }
        boolean greedy = temperature == 0;
        int rasWindow = Json.intValue(body, "ras_win_len", greedy ? 0 : d.rasWindow());
        int rasRepeats = Json.intValue(body, "ras_win_max_num_repeat", d.rasMaxRepeats());
        if (rasWindow < 0) throw ApiError.badRequest("ras_win_len", "ras_win_len must be ≥ 0 (0 = off), got " + rasWindow);
        if (rasRepeats < 1) throw ApiError.badRequest("ras_win_max_num_repeat", "ras_win_max_num_repeat must be ≥ 1, got " + rasRepeats);
        return new GenerationOptions(greedy, greedy ? d.temperature() : temperature, Math.max(topK, 0), topP, rasWindow, rasRepeats, seed, maxFrames,
                0, d.chunkMaxWords());
    }

    /** A message's text: a string, or a list of {@code {"type":"text","text":…}} parts joined. */
    static String text(JsonElement content, String where) {
        if (content == null || content.isJsonNull()) throw ApiError.badRequest(where + ".content", where + " has no content");
        if (content.isJsonPrimitive() && content.getAsJsonPrimitive().isString()) return content.getAsString();
        if (!content.isJsonArray()) throw ApiError.badRequest(where + ".content", where + ".content must be a string or a list of text parts");
        StringBuilder sb = new StringBuilder();
        JsonArray parts = content.getAsJsonArray();
        for (int j = 0; j < parts.size(); j++) {
            String pw = where + ".content[" + j + "]";
            JsonObject part = parts.get(j).isJsonObject() ? parts.get(j).getAsJsonObject() : null;
            String type = part == null ? null : Json.string(part, "type", null);
            if (!"text".equals(type)) {
                throw ApiError.badRequest(pw + ".type", pw + " is a '" + type + "' part; this server reads text in system and user messages"
                        + " (audio goes in assistant messages, as a reference clip or an earlier chunk)");
            }
            sb.append(Json.string(part, "text", ""));
        }
        return sb.toString();
    }

    /** An assistant message's single audio part: {@code input_audio} or an {@code audio_url} with a base64 data URL. */
    static AssistantClip clip(JsonElement content, String where) {
        if (content == null || !content.isJsonArray() || content.getAsJsonArray().size() != 1 || !content.getAsJsonArray().get(0).isJsonObject()) {
            throw ApiError.badRequest(where + ".content", where + " (assistant) must hold exactly one audio part:"
                    + " [{\"type\": \"input_audio\", \"input_audio\": {\"data\": <base64 wav>, \"format\": \"wav\"}}]");
        }
        JsonObject part = content.getAsJsonArray().get(0).getAsJsonObject();
        String type = Json.string(part, "type", null);
        String pw = where + ".content[0]";
        String data;
        if ("input_audio".equals(type)) {
            JsonObject ia = Json.object(part, "input_audio");
            if (ia == null) throw ApiError.badRequest(pw + ".input_audio", pw + " has no input_audio object {data, format}");
            data = Json.string(ia, "data", null);
            pw += ".input_audio.data";
        } else if ("audio_url".equals(type)) {
            JsonObject au = Json.object(part, "audio_url");
            String url = au == null ? null : Json.string(au, "url", null);
            int comma = url == null ? -1 : url.indexOf(',');
            if (url == null || !url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
                throw ApiError.badRequest(pw + ".audio_url.url", pw + ".audio_url.url must be a data URL (data:audio/wav;base64,…); this server fetches no remote URLs");
            }
            data = url.substring(comma + 1);
            pw += ".audio_url.url";
        } else {
            throw ApiError.badRequest(pw + ".type", pw + " is a '" + type + "' part; an assistant message holds audio (input_audio), not text");
        }
        if (data == null || data.isEmpty()) throw ApiError.badRequest(pw, pw + " is empty: put the base64 of a WAV, FLAC or MP3 file there");
        try {
            return new AssistantClip(Base64.getMimeDecoder().decode(strictBase64(data, pw)), pw);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(pw, pw + " is not valid base64 (" + e.getMessage() + ")");
        }
    }

    /** The MIME decoder skips line breaks but also silently skips any other stray character: refuse those. */
    private static String strictBase64(String s, String where) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '='
                    || c == '\n' || c == '\r' || c == '-' || c == '_';
            if (!ok) throw ApiError.badRequest(where, where + " is not valid base64 (character '" + c + "' at " + i + ")");
        }
        return s.replace('-', '+').replace('_', '/');
    }

    /** The turns as an engine conversation, with each clip's codes from {@code codes}. */
    public Conversation conversation(java.util.function.Function<AssistantClip, int[][]> codes) {
        List<Conversation.Message> m = new ArrayList<>();
        for (Turn t : turns) {
            switch (t) {
                case UserText u -> m.add(new Conversation.UserText(u.text()));
                case AssistantClip c -> m.add(new Conversation.AssistantAudio(codes.apply(c)));
            }
        }
        return new Conversation(system, scene, m);
    }
}
