package org.higgsnarrator.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a conversation in the reference's JSON form — {@code [{"role": …, "content": "…" | [{"type": "text",
 * "text": …} | {"type": "audio", "path": …}]}]}, as in the conformance kit's {@code prompts.<name>.conversation} —
 * into {@link ChatMessage}s. Audio items are numbered in order of appearance (0, 1, …) and resolved by the caller.
 */
public final class ChatJson {
    private ChatJson() {}

    /** Supplies the codes of the {@code index}-th audio item of a conversation (its {@code path} as written). */
    @FunctionalInterface
    public interface ClipResolver {
        Clip clip(int index, String path);
    }

    public static List<ChatMessage> parse(JsonArray conversation, ClipResolver clips) {
        List<ChatMessage> out = new ArrayList<>();
        int audio = 0;
        for (int m = 0; m < conversation.size(); m++) {
            JsonObject msg = conversation.get(m).getAsJsonObject();
            if (!msg.has("role") || !msg.has("content")) throw new IllegalArgumentException("conversation message " + m + " needs 'role' and 'content'");
            String role = msg.get("role").getAsString();
            JsonElement content = msg.get("content");
            List<ChatMessage.Content> items = new ArrayList<>();
            if (content.isJsonPrimitive()) {
                items.add(new ChatMessage.Text(content.getAsString()));
            } else {
                for (JsonElement e : content.getAsJsonArray()) {
                    JsonObject item = e.getAsJsonObject();
                    String type = item.has("type") ? item.get("type").getAsString() : "";
                    switch (type) {
                        case "text" -> items.add(new ChatMessage.Text(item.get("text").getAsString()));
                        case "audio" -> {
                            String path = item.has("path") ? item.get("path").getAsString() : item.has("url") ? item.get("url").getAsString() : "";
                            items.add(new ChatMessage.Audio(clips.clip(audio++, path)));
                        }
                        default -> throw new IllegalArgumentException("conversation message " + m + ": content type '" + type + "' is neither 'text' nor 'audio'");
                    }
                }
            }
            out.add(new ChatMessage(role, items));
        }
        return out;
    }
}
