package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.engine.ConversationPlanner;
import org.higgsnarrator.engine.ConversationRenderer;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.engine.Voice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's prompts against Boson's own pipeline (boson-ai/higgs-audio at f04f5df): the expected texts are written
 * here from {@code examples/generation.py} ({@code prepare_generation_context}, L387-494) and
 * {@code boson_multimodal/dataset/chatml_dataset.py} ({@code prepare_chatml_sample}, L387-441), not from the
 * transformers goldens.
 */
class OfficialPromptLayoutTest {
    static TextTokenizer tok;
    static PromptBuilder builder;
    static final String TRANSCRIPT = "“Well,” she said (quietly), “it’s 68°F”";
    static final String USER = "<|start_header_id|>user<|end_header_id|>\n\n", ASSISTANT = "<|start_header_id|>assistant<|end_header_id|>\n\n";
    static final String CLIP = "<|audio_out_bos|><|AUDIO_OUT|><|audio_eos|>";

    @BeforeAll
    static void load() {
        tok = TextTokenizer.open(KitFiles.tokenizerJson());
        builder = GoldenPrompts.official(tok);
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    private static String render(Map<String, Voice> voices, List<String> scene, List<ScriptChunk> chunks) {
        return builder.render(messages(voices, scene, chunks));
    }

    private static List<ChatMessage> messages(Map<String, Voice> voices, List<String> scene, List<ScriptChunk> chunks) {
        ConversationPlanner planner = new ConversationPlanner(voices, scene, chunks);
        return new ConversationRenderer(builder, false).messages(planner.conversation(chunks.getFirst(), List.of()));
    }

    private static int[][] codes(int frames) {
        return new int[8][frames];
    }

    @Test
    void promptWithoutSystemMessageStartsWithTheFirstTurn() {
        // boson_multimodal/dataset/chatml_dataset.py L387-390: the first message, whatever its role, gets
        // "<|begin_of_text|><|start_header_id|>{role}<|end_header_id|>\n\n".
        String r = builder.render(List.of(ChatMessage.user("Hi."), ChatMessage.assistant(new Clip(codes(3))), ChatMessage.user("Bye.")));
        assertEquals("<|begin_of_text|>" + USER + "Hi.<|eot_id|>" + ASSISTANT + CLIP + "<|eot_id|>" + USER + "Bye.<|eot_id|>" + ASSISTANT
                + "<|audio_out_bos|>", r);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> builder.build(List.of(ChatMessage.user("hi"), ChatMessage.system("s"))));
        assertTrue(e.getMessage().contains("system"), e.getMessage());
    }

    @Test
    void clonedVoiceWithoutSceneHasNoSystemMessageAndARawTranscript() {
        // generation.py L426-431: with --ref_audio and no scene prompt no system message is built; L441-442 the
        // transcript is only strip()ped; L446-452 user transcript + assistant clip; chatml_dataset.py L387-388 the
        // first message opens with <|begin_of_text|>.
        String r = render(Map.of("narrator", Voice.cloned("narrator", codes(3), "  " + TRANSCRIPT + "\n")), List.of(),
                List.of(new ScriptChunk(Voice.NARRATOR, -1, "Once upon a time.")));
        assertEquals("<|begin_of_text|>" + USER + TRANSCRIPT + "<|eot_id|>" + ASSISTANT + CLIP + "<|eot_id|>" + USER + "Once upon a time.<|eot_id|>"
                + ASSISTANT + "<|audio_out_bos|>", r);
    }

    @Test
    void sceneGoesIntoTheSystemMessage() {
        // generation.py L427-431: "Generate audio following instruction.\n\n<|scene_desc_start|>\n{scene}\n<|scene_desc_end|>"
        String r = render(Map.of("narrator", Voice.cloned("narrator", codes(3), TRANSCRIPT)), List.of("Audio is recorded from a quiet room."),
                List.of(new ScriptChunk(Voice.NARRATOR, -1, "Hi.")));
        assertTrue(r.startsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nGenerate audio following instruction.\n\n"
                + "<|scene_desc_start|>\nAudio is recorded from a quiet room.\n<|scene_desc_end|><|eot_id|>" + USER + TRANSCRIPT + "<|eot_id|>"), r);
    }

    @Test
    void withoutVoicesThereIsAlwaysASystemMessage() {
        // generation.py L485-491: no reference audio, one speaker: the system text, with the scene when there is one.
        String r = render(Map.of(), List.of(), List.of(new ScriptChunk(Voice.NARRATOR, -1, "Hi.")));
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nGenerate audio following instruction.<|eot_id|>" + USER + "Hi.<|eot_id|>"
                + ASSISTANT + "<|audio_out_bos|>", r);
    }

    @Test
    void speakerPrefixFollowsTheNumberOfVoices() {
        // generation.py L396 num_speakers = entries of --ref_audio; L450 "[SPEAKER{id}] " only if num_speakers > 1.
        List<ScriptChunk> chunks = List.of(new ScriptChunk("SPEAKER0", 0, "[SPEAKER0] Hello."), new ScriptChunk("SPEAKER1", 1, "[SPEAKER1] Hi."));
        Map<String, Voice> two = new LinkedHashMap<>();
        two.put("SPEAKER0", Voice.cloned("SPEAKER0", codes(2), "First voice."));
        two.put("SPEAKER1", Voice.cloned("SPEAKER1", codes(2), "Second voice."));
        String r = render(two, List.of(), chunks);
        assertTrue(r.contains(USER + "[SPEAKER0] First voice.<|eot_id|>") && r.contains(USER + "[SPEAKER1] Second voice.<|eot_id|>"), r);

        String one = render(Map.of("SPEAKER1", Voice.cloned("SPEAKER1", codes(2), "Second voice.")), List.of(), chunks);
        assertTrue(one.contains(USER + "Second voice.<|eot_id|>"), one);
        assertFalse(one.contains("[SPEAKER1] Second voice."), one);
    }

    static final String AUDIO_IN = "<|audio_bos|><|AUDIO|><|audio_eos|>";

    private static Map<String, Voice> describedAndCloned() {
        Map<String, Voice> v = new LinkedHashMap<>();
        v.put("SPEAKER0", Voice.cloned("SPEAKER0", codes(3), TRANSCRIPT));
        v.put("SPEAKER1", Voice.described("SPEAKER1", "Male, deep voice."));
        return v;
    }

    private static final List<ScriptChunk> TWO = List.of(new ScriptChunk("SPEAKER0", 0, "[SPEAKER0] Hello."), new ScriptChunk("SPEAKER1", 1, "[SPEAKER1] Hi."));

    @Test
    void aDescribedVoiceMovesEveryVoiceIntoTheSystemMessageAsAudioInput() {
        // generation.py L399-400: a "profile:" voice sets ref_audio_in_system_message; L402-411 speaker_desc
        // "SPEAKER{id}: {profile}" or "SPEAKER{id}: <placeholder>"; L412-417 "Generate audio following instruction."
        // "\n\n" "<|scene_desc_start|>\n{scene}\n\n" + "\n".join(speaker_desc) + "\n<|scene_desc_end|>"; L425/L160-175 the
        // placeholder becomes an AudioContent, which a system message renders as "<|audio_bos|><|AUDIO|><|audio_eos|>"
        // (chatml_dataset.py L416-423); L446: no user/assistant reference turns, the transcript is not used.
        String r = render(describedAndCloned(), List.of(ConversationPlanner.QUIET_ROOM), TWO);
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nGenerate audio following instruction.\n\n"
                + "<|scene_desc_start|>\nAudio is recorded from a quiet room.\n\nSPEAKER0: " + AUDIO_IN + "\nSPEAKER1: Male, deep voice.\n"
                + "<|scene_desc_end|><|eot_id|>" + USER + "[SPEAKER0] Hello.<|eot_id|>" + ASSISTANT + "<|audio_out_bos|>", r);
        assertFalse(r.contains("she said"), "the transcript of a voice in the system message is not used");

        // without a scene: L419-424 "<|scene_desc_start|>\n" + "\n".join(speaker_desc) + "\n<|scene_desc_end|>"
        String bare = render(describedAndCloned(), List.of(), TWO);
        assertTrue(bare.contains("instruction.\n\n<|scene_desc_start|>\nSPEAKER0: " + AUDIO_IN + "\nSPEAKER1: Male, deep voice.\n<|scene_desc_end|><|eot_id|>"), bare);

        // clip voices alone stay user/assistant turns (L446-460)
        Map<String, Voice> clones = new LinkedHashMap<>();
        clones.put("SPEAKER0", Voice.cloned("SPEAKER0", codes(3), "First."));
        clones.put("SPEAKER1", Voice.cloned("SPEAKER1", codes(2), "Second."));
        String turns = render(clones, List.of(), TWO);
        assertFalse(turns.contains("<|AUDIO|>"), turns);
        assertTrue(turns.contains(USER + "[SPEAKER1] Second.<|eot_id|>" + ASSISTANT + CLIP), turns);
    }

    @Test
    void aVoiceInTheSystemMessageTokenizesAsBosonsPartsAndExpandsAsAudioInput() {
        Prompt p = builder.build(messages(describedAndCloned(), List.of(ConversationPlanner.QUIET_ROOM), TWO));
        // prepare_chatml_sample (chatml_dataset.py L387-445) encodes the header, each content part and the postfix
        // separately; the collator and merge_input_ids_with_audio_features (utils.py L327-345) put the clip's framed,
        // delayed codes (3 frames + BOS + EOS + K-1 delay = 12 positions) at <|AUDIO|> positions.
        int k = 8, positions = 3 + 2 + k - 1;
        java.util.List<Long> want = new java.util.ArrayList<>();
        java.util.function.Consumer<String> enc = s -> { for (long id : tok.encode(s)) want.add(id); };
        enc.accept("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n");
        enc.accept("Generate audio following instruction.\n\n<|scene_desc_start|>\nAudio is recorded from a quiet room.\n\nSPEAKER0: ");
        enc.accept("<|audio_bos|>");
        for (int i = 0; i < positions; i++) want.add((long) tok.tokenId("<|AUDIO|>"));
        enc.accept("<|audio_eos|>");
        enc.accept("\nSPEAKER1: Male, deep voice.\n<|scene_desc_end|>");
        enc.accept("<|eot_id|>");
        enc.accept(USER);
        enc.accept("[SPEAKER0] Hello.");
        enc.accept("<|eot_id|>");
        enc.accept(ASSISTANT + "<|audio_out_bos|>");
        assertEquals(want, java.util.Arrays.stream(p.ids()).boxed().toList());
        assertEquals(positions, p.audioPositions());
        int[][] delayed = org.higgsnarrator.decode.DelayPattern.promptFrames(codes(3), 1024, 1025);
        for (int t = 0; t < positions; t++) {
            for (int c = 0; c < k; c++) assertEquals(delayed[c][t], p.audioFrames()[t][c], "frame " + t + " codebook " + c);
        }

        // shown once, with its token and frame count
        String shown = new PromptText(tok, k, 128014).show(p.ids(), null);
        assertTrue(shown.contains("SPEAKER0: <|audio_bos|><|AUDIO|>[3 frames]<|audio_eos|>\nSPEAKER1: Male, deep voice."), shown);

        // transformers' template (conformance only) writes the scene clip as audio output
        String hf = builder.following(org.higgsnarrator.config.ReferencePipeline.TRANSFORMERS)
                .render(List.of(ChatMessage.system("S"), ChatMessage.scene(List.of(new ChatMessage.Text("Quiet."), new ChatMessage.Text("SPEAKER0:"),
                        new ChatMessage.Audio(new Clip(codes(3)))))));
        assertTrue(hf.contains("<|scene_desc_start|>\nQuiet.\n\nSPEAKER0: <|audio_out_bos|><|AUDIO_OUT|><|audio_eos|>\n<|scene_desc_end|>"), hf);
    }
}
