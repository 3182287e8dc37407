package org.higgsnarrator.engine;

import java.util.List;

/**
 * A chat as the Higgs prompt template renders it (see docs/higgs-model-spec "Prompt"): a system turn with an optional
 * scene block, then user / assistant turns; the generation prompt ({@code assistant} header + {@code <|audio_out_bos|>})
 * follows the last message.
 *
 * @param system      the system text ("Generate audio following instruction." by default); null for a prompt without
 *                    a system message (Boson's layout for cloned voices without a scene); the scene must then be empty
 * @param scene       lines of the scene block (scene descriptions, {@code SPEAKERn: profile}); empty for none
 * @param sceneClips  reference clips placed in the scene block as {@code SPEAKERn: <audio input>} (Boson's layout once
 *                    any voice is described by text, examples/generation.py L399-425); empty for none
 * @param messages    the turns in order
 */
public record Conversation(String system, List<String> scene, List<SceneClip> sceneClips, List<Message> messages) {
    public Conversation {
        scene = List.copyOf(scene);
        sceneClips = List.copyOf(sceneClips);
        messages = List.copyOf(messages);
        if (system == null && !sceneClips.isEmpty()) {
            throw new IllegalArgumentException("scene clips need a system message (they are part of its scene block)");
        }
    }

    /** A conversation without clips in the scene block. */
    public Conversation(String system, List<String> scene, List<Message> messages) {
        this(system, scene, List.of(), messages);
    }

    /** A voice's reference clip in the scene block: {@code SPEAKER{speaker}: <|audio_bos|><|AUDIO|><|audio_eos|>}. */
    public record SceneClip(int speaker, int[][] codes) {}

    public sealed interface Message permits UserText, AssistantAudio {}

    /** A user turn holding text to speak (or a reference clip's transcript). */
    public record UserText(String text) implements Message {}

    /** An assistant turn holding audio: a reference clip or a previously generated chunk, codes [K][F] unframed. */
    public record AssistantAudio(int[][] codes) implements Message {}
}
