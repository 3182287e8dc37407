package org.higgsnarrator.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The system message of the chat API as text: the system instruction, then optionally the scene block
 * {@code <|scene_desc_start|>\n…\n<|scene_desc_end|>} (higgs-audio examples/vllm/run_chat_completion.py:18-23 and
 * :132-140). The client writes it from an engine {@code Conversation}'s system and scene lines, the server reads it
 * back; the lines are laid out as {@code engine.ConversationRenderer} lays out a scene (descriptions, a blank line,
 * {@code SPEAKERn:} lines), so the round trip renders the same prompt.
 */
public final class SystemPrompt {
    static final String SCENE_START = "<|scene_desc_start|>", SCENE_END = "<|scene_desc_end|>";
    private static final Pattern SPEAKER_LINE = Pattern.compile("^SPEAKER\\d+:.*");

    /** @param scene the scene lines (may be empty: no scene block) */
    public record Parsed(String system, List<String> scene) {}

    private SystemPrompt() {}

    public static String write(String system, List<String> scene) {
        List<String> description = new ArrayList<>(), speakers = new ArrayList<>();
        for (String line : scene) {
            if (line == null || line.isBlank()) continue;
            (SPEAKER_LINE.matcher(line.strip()).matches() ? speakers : description).add(line.strip());
        }
        if (description.isEmpty() && speakers.isEmpty()) return system;
        StringBuilder sb = new StringBuilder(system.strip()).append("\n\n").append(SCENE_START).append('\n');
        sb.append(String.join("\n", description));
        if (!description.isEmpty() && !speakers.isEmpty()) sb.append("\n\n");
        sb.append(String.join("\n", speakers)).append('\n').append(SCENE_END);
        return sb.toString();
    }

    /** @throws ApiError when a scene block is opened and not closed */
    public static Parsed read(String content) {
        int start = content.indexOf(SCENE_START);
        if (start < 0) return new Parsed(content.strip(), List.of());
        int end = content.indexOf(SCENE_END, start);
        if (end < 0) throw ApiError.badRequest("messages[0].content", "the system message opens " + SCENE_START + " but never closes it with " + SCENE_END);
        List<String> scene = new ArrayList<>();
        for (String line : content.substring(start + SCENE_START.length(), end).split("\n")) {
            if (!line.isBlank()) scene.add(line.strip());
        }
        String rest = content.substring(end + SCENE_END.length()).strip();
        String system = content.substring(0, start).strip();
        if (!rest.isEmpty()) system = system + "\n\n" + rest;
        return new Parsed(system, scene);
    }
}
