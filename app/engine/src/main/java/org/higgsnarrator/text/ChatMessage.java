package org.higgsnarrator.text;

import java.util.List;

/**
 * One message of the chat the release template renders: role {@code system}, {@code scene} (only right after the
 * system message), {@code user} or {@code assistant}; content is a list of text and audio items, as in the
 * reference's conversation JSON.
 */
public record ChatMessage(String role, List<Content> content) {
    public static final String SYSTEM = "system", SCENE = "scene", USER = "user", ASSISTANT = "assistant";

    public ChatMessage {
        if (role == null || role.isBlank()) throw new IllegalArgumentException("a chat message needs a role");
        content = List.copyOf(content);
    }

    /** A text or an audio item of a message. */
    public sealed interface Content permits Text, Audio {}

    public record Text(String text) implements Content {
        public Text {
            if (text == null) throw new IllegalArgumentException("text content is null");
        }
    }

    public record Audio(Clip clip) implements Content {
        public Audio {
            if (clip == null) throw new IllegalArgumentException("audio content has no clip");
        }
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(SYSTEM, List.of(new Text(text)));
    }

    public static ChatMessage scene(List<Content> items) {
        return new ChatMessage(SCENE, items);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(USER, List.of(new Text(text)));
    }

    public static ChatMessage assistant(Clip clip) {
        return new ChatMessage(ASSISTANT, List.of(new Audio(clip)));
    }
}
