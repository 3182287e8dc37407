package org.higgsnarrator.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The added (special) tokens of a Hugging Face {@code tokenizer.json}: content → id. */
public final class TokenizerSpecials {
    private TokenizerSpecials() {}

    public static Map<String, Integer> read(Path tokenizerJson) {
        try {
            JsonObject root = JsonParser.parseString(Files.readString(tokenizerJson)).getAsJsonObject();
            Map<String, Integer> out = new LinkedHashMap<>();
            if (root.has("added_tokens")) {
                for (JsonElement e : root.getAsJsonArray("added_tokens")) {
                    JsonObject t = e.getAsJsonObject();
                    out.put(t.get("content").getAsString(), t.get("id").getAsInt());
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointFormatException(tokenizerJson + ": not a readable Hugging Face tokenizer.json (" + e.getMessage() + ")", e);
        }
    }
}
