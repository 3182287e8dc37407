package org.higgsnarrator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds each chunk's conversation the way the official long-form example does:
 * <pre>
 *   system  (+ scene block: scene lines, then "SPEAKERn: profile" per described voice)
 *   per reference voice:  user "[SPEAKERn] transcript"   assistant &lt;clip codes&gt;      — always kept
 *   per buffered chunk:   user "[SPEAKERn] chunk text"   assistant &lt;generated codes&gt; — the last B chunks
 *   user "[SPEAKERn] this chunk's text"
 * </pre>
 * The {@code [SPEAKERn] } prefixes appear only when the script has several speakers; n is the speaker's order of first
 * appearance in the script. Several speakers with neither clips nor profiles get the release's multi-speaker system
 * text and alternating feminine / masculine scene lines.
 */
public final class ConversationPlanner {
    public static final String SYSTEM = "Generate audio following instruction.";
    public static final String MULTI_SPEAKER_SYSTEM = "You are an AI assistant designed to convert text into speech.\n"
            + "If the user's message includes a [SPEAKER*] tag, do not read out the tag and generate speech for the following text, using the specified voice.\n"
            + "If no speaker tag is present, select a suitable voice on your own.";

    /** A chunk already generated, as later prompts carry it. */
    public record Generated(String userText, int[][] codes) {}

    private final Map<String, Integer> speakerIndex = new LinkedHashMap<>();
    private final Map<String, Voice> voiceOf = new LinkedHashMap<>();
    private final String system;
    private final List<String> scene = new ArrayList<>();
    private final List<Conversation.Message> references = new ArrayList<>();

    /**
     * @param voices speaker name → voice; a script without tags may give one voice under any name
     * @throws IllegalArgumentException naming the speaker when a tagged speaker has no voice
     */
    public ConversationPlanner(Map<String, Voice> voices, List<String> sceneLines, List<ScriptChunk> chunks) {
        for (ScriptChunk c : chunks) {
            if (speakerIndex.containsKey(c.speaker())) continue;
            Voice v = voices.get(c.speaker());
            if (v == null && c.speaker().equals(Voice.NARRATOR) && voices.size() == 1) v = voices.values().iterator().next();
            if (v == null && !c.speaker().equals(Voice.NARRATOR)) {
                throw new IllegalArgumentException("the script tags speaker [" + c.speaker() + "] but no voice is assigned to it; voices given: "
                        + (voices.isEmpty() ? "none" : String.join(", ", voices.keySet())) + " (pass --voice " + c.speaker() + "=clip.wav:transcript.txt)");
            }
            speakerIndex.put(c.speaker(), speakerIndex.size());
            if (v != null) voiceOf.put(c.speaker(), v);
        }
        boolean multi = speakerIndex.size() > 1;
        boolean anyVoice = voiceOf.values().stream().anyMatch(v -> v.hasReference() || v.description() != null);
        scene.addAll(sceneLines);
        if (multi && !anyVoice) {
            system = MULTI_SPEAKER_SYSTEM;
            for (int n = 0; n < speakerIndex.size(); n++) scene.add("SPEAKER" + n + ": " + (n % 2 == 0 ? "feminine" : "masculine"));
        } else {
            system = SYSTEM;
        }
        for (var e : speakerIndex.entrySet()) {
            Voice v = voiceOf.get(e.getKey());
            if (v == null) continue;
            if (v.description() != null) scene.add("SPEAKER" + e.getValue() + ": " + v.description());
            if (v.hasReference()) {
                references.add(new Conversation.UserText(prefix(e.getKey()) + v.transcript().strip()));
                references.add(new Conversation.AssistantAudio(v.referenceCodes()));
            }
        }
    }

    /** The user-turn text of a chunk: its words, tagged with the speaker when the script has several. */
    public String userText(ScriptChunk chunk) {
        return prefix(chunk.speaker()) + chunk.text().strip();
    }

    private String prefix(String speaker) {
        return speakerIndex.size() > 1 ? "[SPEAKER" + speakerIndex.get(speaker) + "] " : "";
    }

    /** @param context the previous chunks still in the buffer, oldest first */
    public Conversation conversation(ScriptChunk chunk, List<Generated> context) {
        List<Conversation.Message> m = new ArrayList<>(references);
        for (Generated g : context) {
            m.add(new Conversation.UserText(g.userText()));
            m.add(new Conversation.AssistantAudio(g.codes()));
        }
        m.add(new Conversation.UserText(userText(chunk)));
        return new Conversation(system, scene, m);
    }

    /** Speakers in order of first appearance (SPEAKER0, SPEAKER1, …). */
    public List<String> speakers() {
        return List.copyOf(speakerIndex.keySet());
    }
}
