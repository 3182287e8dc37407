package org.higgsnarrator.text;

import java.util.ArrayList;
import java.util.List;

/**
 * What a narration app asks for, in its own terms; {@link #messages()} lays it out as the official examples do
 * (boson's {@code examples/generation.py}), for {@link PromptBuilder} to render.
 *
 * <ul>
 *   <li>System text: {@link #DEFAULT_SYSTEM}; with several speakers and no voice given at all, the official
 *       {@link #MULTI_SPEAKER_SYSTEM} and scene lines {@code SPEAKERn: feminine|masculine} (alternating).</li>
 *   <li>Scene block: the scene text, then — when {@code voicesInScene}, or when any voice is a text description
 *       (a "profile") — one line per speaker slot: {@code SPEAKERn: <description>} or {@code SPEAKERn:} followed by the
 *       reference clip (the kit's {@code dialogue} case).</li>
 *   <li>Otherwise each reference voice is a user turn with its transcript (prefixed {@code [SPEAKERn] } when there
 *       are several speakers) and an assistant turn holding its clip (the kit's {@code clone} case).</li>
 *   <li>Then the previous chunks of a long text, oldest first, as (user text, assistant generated audio) pairs — the
 *       caller keeps only the last few (official {@code generation_chunk_buffer_size}); then the text to speak.</li>
 * </ul>
 * Texts should already be normalized ({@link TextNormalizer}); multi-speaker text carries {@code [SPEAKERn]} tags.
 *
 * @param system        system text; null = the default for the request (see above)
 * @param scene         scene description, e.g. {@link #QUIET_ROOM}; null or blank = none
 * @param voices        speaker slots in order (slot n is SPEAKERn); empty = the model picks a voice
 * @param voicesInScene put reference clips into the scene block instead of transcript/clip turns
 * @param history       previous chunks (text, generated codes), oldest first
 * @param text          what to speak now
 */
public record SpeechRequest(String system, String scene, List<Voice> voices, boolean voicesInScene, List<Context> history, String text) {
    public static final String DEFAULT_SYSTEM = "Generate audio following instruction.";
    public static final String MULTI_SPEAKER_SYSTEM = "You are an AI assistant designed to convert text into speech.\n"
            + "If the user's message includes a [SPEAKER*] tag, do not read out the tag and generate speech for the following text, using the specified voice.\n"
            + "If no speaker tag is present, select a suitable voice on your own.";
    /** The official examples' default scene ({@code scene_prompts/quiet_indoor.txt}). */
    public static final String QUIET_ROOM = "Audio is recorded from a quiet room.";

    public SpeechRequest {
        voices = List.copyOf(voices);
        history = List.copyOf(history);
        if (text == null || text.isBlank()) throw new IllegalArgumentException("nothing to speak: the text is empty");
    }

    /** One speaker's voice: a reference clip with its transcript, a text description, or nothing (the model picks). */
    public record Voice(String transcript, Clip clip, String description) {
        public Voice {
            if (clip != null && (transcript == null || transcript.isBlank())) {
                throw new IllegalArgumentException("a reference voice needs the transcript of its clip");
            }
            if (clip != null && description != null) throw new IllegalArgumentException("a voice is either a reference clip or a description, not both");
        }

        public static Voice reference(String transcript, Clip clip) {
            return new Voice(transcript, clip, null);
        }

        /** A voice described in words, e.g. "Male, American accent, modern speaking rate, moderate-pitch, friendly tone, and very clear audio." */
        public static Voice described(String description) {
            return new Voice(null, null, description);
        }

        public static Voice unspecified() {
            return new Voice(null, null, null);
        }

        public boolean isReference() {
            return clip != null;
        }

        public boolean isDescribed() {
            return description != null && !description.isBlank();
        }
    }

    /** A chunk spoken before: its text and the codes generated for it (plain codes, [K][frames]). */
    public record Context(String text, Clip audio) {}

    /** A single-speaker request with the default system text and scene. */
    public static SpeechRequest simple(String text) {
        return new SpeechRequest(null, QUIET_ROOM, List.of(), false, List.of(), text);
    }

    public SpeechRequest withHistory(List<Context> h) {
        return new SpeechRequest(system, scene, voices, voicesInScene, h, text);
    }

    public SpeechRequest withText(String t) {
        return new SpeechRequest(system, scene, voices, voicesInScene, history, t);
    }

    public List<ChatMessage> messages() {
        boolean anyReference = voices.stream().anyMatch(Voice::isReference);
        boolean anyDescribed = voices.stream().anyMatch(Voice::isDescribed);
        boolean inScene = voicesInScene || anyDescribed;
        boolean multi = voices.size() > 1;
        boolean defaultCast = multi && !anyReference && !anyDescribed;

        List<ChatMessage> out = new ArrayList<>();
        out.add(ChatMessage.system(system != null ? system : defaultCast ? MULTI_SPEAKER_SYSTEM : DEFAULT_SYSTEM));

        List<ChatMessage.Content> sceneItems = new ArrayList<>();
        if (scene != null && !scene.isBlank()) sceneItems.add(new ChatMessage.Text(scene));
        if (inScene || defaultCast) {
            // Consecutive text lines go into one item joined by newlines: the template puts a blank line after the
            // first item, which must separate the scene text from the speakers, not two speaker lines.
            StringBuilder lines = new StringBuilder();
            for (int n = 0; n < voices.size(); n++) {
                Voice v = voices.get(n);
                if (!lines.isEmpty()) lines.append('\n');
                if (inScene && v.isReference()) {
                    lines.append("SPEAKER").append(n).append(':');
                    sceneItems.add(new ChatMessage.Text(lines.toString()));
                    sceneItems.add(new ChatMessage.Audio(v.clip()));
                    lines.setLength(0);
                } else {
                    String desc = v.isDescribed() ? v.description().strip() : n % 2 == 0 ? "feminine" : "masculine";
                    lines.append("SPEAKER").append(n).append(": ").append(desc);
                }
            }
            if (!lines.isEmpty()) sceneItems.add(new ChatMessage.Text(lines.toString()));
        }
        if (!sceneItems.isEmpty()) out.add(ChatMessage.scene(sceneItems));

        if (!inScene) {
            for (int n = 0; n < voices.size(); n++) {
                Voice v = voices.get(n);
                if (!v.isReference()) continue;
                out.add(ChatMessage.user(multi ? "[SPEAKER" + n + "] " + v.transcript() : v.transcript()));
                out.add(ChatMessage.assistant(v.clip()));
            }
        }
        for (Context c : history) {
            out.add(ChatMessage.user(c.text()));
            out.add(ChatMessage.assistant(c.audio()));
        }
        out.add(ChatMessage.user(text));
        return out;
    }
}
