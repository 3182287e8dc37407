package org.higgsnarrator.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds each chunk's conversation the way the official long-form example does:
 * <pre>
 *   system  (+ scene block: scene lines, then "SPEAKERn: profile" per described voice)
 *   per reference voice:  user "[SPEAKERn] transcript"   assistant &lt;clip codes&gt;      — always kept
 *   per buffered chunk:   user "[SPEAKERn] chunk text"   assistant &lt;generated codes&gt; — the last B chunks
 *   user "[SPEAKERn] this chunk's text"
 * </pre>
 * n is the speaker's slot as the splitter numbered it; the {@code [SPEAKERn] } prefixes appear only when the script
 * has several slots (the chunk texts then carry them already). Voices are matched to speakers by name; untagged text
 * uses the voice named {@link Voice#NARRATOR}, or in a script without speakers the only voice given, whatever its name.
 * Speakers without a voice are left to the model; when no speaker of a multi-speaker script has a clip or a profile,
 * the prompt gets the release's multi-speaker system text and alternating feminine / masculine scene lines. Voices
 * naming no speaker of the script are not used.
 */
public final class ConversationPlanner {
    /** The release's system text (boson-ai/higgs-audio examples/generation.py). */
    public static final String SYSTEM = "Generate audio following instruction.";
    /** The release's system text for a multi-speaker script without voices (examples/generation.py). */
    public static final String MULTI_SPEAKER_SYSTEM = "You are an AI assistant designed to convert text into speech.\n"
            + "If the user's message includes a [SPEAKER*] tag, do not read out the tag and generate speech for the following text, using the specified voice.\n"
            + "If no speaker tag is present, select a suitable voice on your own.";
    /** The official examples' default scene ({@code scene_prompts/quiet_indoor.txt}). */
    public static final String QUIET_ROOM = "Audio is recorded from a quiet room.";

    /** A chunk already generated, as later prompts carry it. */
    public record Generated(String userText, int[][] codes) {}

    /** slot → speaker name, in slot order; slot -1 only in a single-speaker script. */
    private final TreeMap<Integer, String> speakers = new TreeMap<>();
    private final String system;
    private final List<String> scene = new ArrayList<>();
    private final List<Conversation.Message> references = new ArrayList<>();

    /** @param voices speaker name → voice (see above) */
    public ConversationPlanner(Map<String, Voice> voices, List<String> sceneLines, List<ScriptChunk> chunks) {
        for (ScriptChunk c : chunks) speakers.putIfAbsent(c.slot(), c.speaker());
        boolean multi = speakers.size() > 1;
        Map<String, String> assigned = voiceNames(voices.keySet(), chunks);
        Map<Integer, Voice> voiceOf = new LinkedHashMap<>();
        for (var e : speakers.entrySet()) {
            String name = assigned.get(e.getValue());
            if (name != null) voiceOf.put(e.getKey(), voices.get(name));
        }
        boolean anyVoice = voiceOf.values().stream().anyMatch(v -> v.hasReference() || v.description() != null);
        scene.addAll(sceneLines);
        if (multi && !anyVoice) {
            system = MULTI_SPEAKER_SYSTEM;
            // As the release: alternate over the speakers in tag order, whatever their numbers.
            int i = 0;
            for (int slot : speakers.keySet()) scene.add("SPEAKER" + slot + ": " + (i++ % 2 == 0 ? "feminine" : "masculine"));
        } else {
            system = SYSTEM;
        }
        for (var e : voiceOf.entrySet()) {
            Voice v = e.getValue();
            // A single speaker is SPEAKER0 in the scene, as in the release, whatever its tag said.
            int n = multi ? e.getKey() : 0;
            if (v.description() != null) scene.add("SPEAKER" + n + ": " + v.description());
            if (v.hasReference()) {
                references.add(new Conversation.UserText((multi ? "[SPEAKER" + n + "] " : "") + v.transcript().strip()));
                references.add(new Conversation.AssistantAudio(v.referenceCodes()));
            }
        }
    }

    /**
     * Which voice reads which speaker (the rule above), for callers that check voices before they build them.
     *
     * @return speaker name → voice name, in the chunks' order, for the speakers that have a voice
     */
    public static Map<String, String> voiceNames(Collection<String> voiceNames, List<ScriptChunk> chunks) {
        Set<String> speakerNames = new LinkedHashSet<>();
        for (ScriptChunk c : chunks) speakerNames.add(c.speaker());
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : speakerNames) {
            if (voiceNames.contains(s)) {
                out.put(s, s);
            } else if (s.equals(Voice.NARRATOR) && speakerNames.size() == 1 && voiceNames.size() == 1) {
                out.put(s, voiceNames.iterator().next());
            }
        }
        return out;
    }

    /** The user-turn text of a chunk: its words, tagged with the speaker's slot when the script has several. */
    public String userText(ScriptChunk chunk) {
        return chunk.text().strip();
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

    /** Speakers in slot order (SPEAKER0, SPEAKER1, …). */
    public List<String> speakers() {
        return List.copyOf(speakers.values());
    }
}
