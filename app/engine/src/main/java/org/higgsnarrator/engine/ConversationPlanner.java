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
 *   system  (+ scene block: scene lines, then "SPEAKERn: profile" per described voice) — left out when reference
 *           clips are given and there is neither a scene nor a described voice, as in Boson's example
 *   per reference voice:  user "[SPEAKERn] transcript"   assistant &lt;clip codes&gt;      — always kept; transcript
 *           as written; the prefix only when more than one voice is given — unless the voices go into the system
 *           message (below)
 *   per buffered chunk:   user "[SPEAKERn] chunk text"   assistant &lt;generated codes&gt; — the last B chunks
 *   user "[SPEAKERn] this chunk's text"
 * </pre>
 * n is the speaker's slot as the splitter numbered it; chunk texts carry {@code [SPEAKERn] } tags when the script has
 * several slots. Voices are matched to speakers by name; untagged text
 * uses the voice named {@link Voice#NARRATOR}, or in a script without speakers the only voice given, whatever its name.
 * Speakers without a voice are left to the model; when no speaker of a multi-speaker script has a clip or a profile,
 * the prompt gets the release's multi-speaker system text and alternating feminine / masculine scene lines. Voices
 * naming no speaker of the script are not used.
 *
 * <p>Voices in the system message ({@link ClipPlacement}): as soon as one voice is described by text, Boson's example
 * puts every voice into the system message's scene block (examples/generation.py L399-425: {@code profile:} in any
 * {@code --ref_audio} entry sets {@code ref_audio_in_system_message}): {@code SPEAKERn: profile} for a described
 * voice, {@code SPEAKERn: <|audio_bos|><|AUDIO|><|audio_eos|>} (audio input) for a cloned one, one line each in voice
 * order after the scene; the clips' transcripts are not used and no reference turns are built (L446).
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

    /** Where the reference clips go. */
    public enum ClipPlacement {
        /** Boson's example: into the system message when any voice is described by text, else as user/assistant turns. */
        OFFICIAL,
        /** Always into the system message (the example's {@code --ref_audio_in_system_message}). */
        SYSTEM_MESSAGE,
        /**
         * Always as user/assistant turns, beside described voices in the scene — a layout Boson's example never builds;
         * only for remote rendering, whose chat request carries audio in assistant turns only.
         */
        TURNS
    }

    /** A chunk already generated, as later prompts carry it. */
    public record Generated(String userText, int[][] codes) {}

    /** slot → speaker name, in slot order; slot -1 only in a single-speaker script. */
    private final TreeMap<Integer, String> speakers = new TreeMap<>();
    private final String system;
    private final List<String> scene = new ArrayList<>();
    private final List<Conversation.Message> references = new ArrayList<>();
    private final List<Conversation.SceneClip> sceneClips = new ArrayList<>();

    /** @param voices speaker name → voice (see above); clips placed as Boson's example places them */
    public ConversationPlanner(Map<String, Voice> voices, List<String> sceneLines, List<ScriptChunk> chunks) {
        this(voices, sceneLines, chunks, ClipPlacement.OFFICIAL);
    }

    /** @param voices speaker name → voice (see above) */
    public ConversationPlanner(Map<String, Voice> voices, List<String> sceneLines, List<ScriptChunk> chunks, ClipPlacement placement) {
        for (ScriptChunk c : chunks) speakers.putIfAbsent(c.slot(), c.speaker());
        boolean multi = speakers.size() > 1;
        Map<String, String> assigned = voiceNames(voices.keySet(), chunks);
        Map<Integer, Voice> voiceOf = new LinkedHashMap<>();
        for (var e : speakers.entrySet()) {
            String name = assigned.get(e.getValue());
            if (name != null) voiceOf.put(e.getKey(), voices.get(name));
        }
        List<Voice> used = voiceOf.values().stream().filter(v -> v.hasReference() || v.description() != null).toList();
        boolean anyVoice = !used.isEmpty();
        boolean anyDescribed = used.stream().anyMatch(v -> v.description() != null);
        boolean anyClip = used.stream().anyMatch(Voice::hasReference);
        // examples/generation.py L399-400: any "profile:" voice turns ref_audio_in_system_message on
        boolean clipsInSystem = anyClip && switch (placement) {
            case OFFICIAL -> anyDescribed;
            case SYSTEM_MESSAGE -> true;
            case TURNS -> false;
        };
        boolean anyScene = sceneLines.stream().anyMatch(l -> l != null && !l.isBlank());
        scene.addAll(sceneLines);
        if (multi && !anyVoice) {
            system = MULTI_SPEAKER_SYSTEM;
            // As the release: alternate over the speakers in tag order, whatever their numbers.
            int i = 0;
            for (int slot : speakers.keySet()) scene.add("SPEAKER" + slot + ": " + (i++ % 2 == 0 ? "feminine" : "masculine"));
        } else if (!anyVoice || anyScene || anyDescribed || clipsInSystem) {
            system = SYSTEM;
        } else {
            // Reference clips as turns and no scene: Boson's prompt has no system message at all
            // (examples/generation.py L426-431: the system message is built only `if scene_prompt`).
            system = null;
        }
        // The [SPEAKERn] prefix of a transcript depends on how many voices are given (examples/generation.py L396,
        // L450: `if num_speakers > 1`, num_speakers = entries of --ref_audio), not on the script's speaker count.
        boolean prefixed = used.size() > 1;
        for (var e : voiceOf.entrySet()) {
            Voice v = e.getValue();
            // A single speaker is SPEAKER0 in the scene, as in the release, whatever its tag said.
            int n = multi ? e.getKey() : 0;
            if (v.description() != null) scene.add("SPEAKER" + n + ": " + v.description());
            if (v.hasReference() && clipsInSystem) {
                // generation.py L411: speaker_desc "SPEAKER{spk_id}: <audio placeholder>", the clip as audio input in
                // the system message (L425, chatml_dataset.py L416-423); L446: no transcript turns
                sceneClips.add(new Conversation.SceneClip(n, v.referenceCodes()));
            } else if (v.hasReference()) {
                // The transcript as written: the official example only strips it (examples/generation.py L441-442).
                references.add(new Conversation.UserText((prefixed ? "[SPEAKER" + n + "] " : "") + v.transcript().strip()));
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
        return new Conversation(system, scene, sceneClips, m);
    }

    /** Speakers in slot order (SPEAKER0, SPEAKER1, …). */
    public List<String> speakers() {
        return List.copyOf(speakers.values());
    }
}
