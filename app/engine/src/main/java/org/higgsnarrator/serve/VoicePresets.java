package org.higgsnarrator.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The server-side voices of {@code /v1/audio/speech}: a folder with {@code config.json}
 * {@code {name: {"transcript": …, "audio_file": "name.wav", "system_prompt"?: …}}} and the clips beside it, as the
 * official server reads it (higgs-audio-vllm vllm/entrypoints/bosonai/serving_audio.py:81-98, :285-296; folder layout
 * in higgs-audio examples/vllm/README.md). Re-read when config.json changes (the official server polls every 10 s).
 * Clip paths must stay inside the folder.
 */
final class VoicePresets {
    private static final Logger LOG = Logger.getLogger(VoicePresets.class.getName());

    /** @param systemPrompt replaces the reference turns when set (the official "SFT" presets) */
    record Preset(String name, String transcript, Path audioFile, String systemPrompt) {}

    private final Path dir;
    private FileTime loadedAt;
    private Map<String, Preset> presets = Map.of();

    /** @param dir may be null: no presets */
    VoicePresets(Path dir) {
        this.dir = dir;
        if (dir != null) {
            Path config = dir.resolve("config.json");
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("voices folder " + dir + " has no config.json; write {\"name\": {\"transcript\": \"…\", \"audio_file\": \"name.wav\"}}");
            }
            presets = load(config);   // a bad file at start-up is the user's to fix now
        }
    }

    synchronized Map<String, Preset> all() {
        if (dir == null) return presets;
        Path config = dir.resolve("config.json");
        try {
            FileTime t = Files.getLastModifiedTime(config);
            if (!t.equals(loadedAt)) presets = load(config);
        } catch (IOException | RuntimeException e) {
            LOG.warning("voice presets: keeping the previous list, " + config + " cannot be read: " + e.getMessage());
        }
        return presets;
    }

    private Map<String, Preset> load(Path config) {
        try {
            FileTime t = Files.getLastModifiedTime(config);
            JsonElement root = JsonParser.parseString(Files.readString(config));
            if (!root.isJsonObject()) throw new IllegalArgumentException(config + " must be a JSON object {name: {transcript, audio_file}}");
            Map<String, Preset> out = new LinkedHashMap<>();
            Path base = dir.toAbsolutePath().normalize();
            for (var e : root.getAsJsonObject().entrySet()) {
                if (!e.getValue().isJsonObject()) throw new IllegalArgumentException(config + ": voice " + e.getKey() + " must be an object {transcript, audio_file}");
                JsonObject v = e.getValue().getAsJsonObject();
                String transcript = v.has("transcript") ? v.get("transcript").getAsString() : null;
                String file = v.has("audio_file") ? v.get("audio_file").getAsString() : null;
                String system = v.has("system_prompt") && !v.get("system_prompt").isJsonNull() ? v.get("system_prompt").getAsString() : null;
                Path audio = null;
                if (system == null) {
                    if (transcript == null || file == null) throw new IllegalArgumentException(config + ": voice " + e.getKey() + " needs transcript and audio_file");
                    audio = base.resolve(file).normalize();
                    if (!audio.startsWith(base)) throw new IllegalArgumentException(config + ": voice " + e.getKey() + ": audio_file " + file + " is outside " + base);
                    if (!Files.isRegularFile(audio)) throw new IllegalArgumentException(config + ": voice " + e.getKey() + ": " + audio + " not found");
                }
                out.put(e.getKey(), new Preset(e.getKey(), transcript, audio, system));
            }
            loadedAt = t;
            return java.util.Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + config + ": " + e.getMessage(), e);
        } catch (com.google.gson.JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(config + " is not valid voice-preset JSON: " + e.getMessage(), e);
        }
    }
}
