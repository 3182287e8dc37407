package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import java.util.List;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The narration-app API: the official layouts, checked against the kit where it has a case, else against the official text. */
class SpeechRequestTest {
    static TextTokenizer tok;
    static SafeTensorsFile golden;
    static PromptBuilder builder;

    @BeforeAll
    static void load() {
        tok = TextTokenizer.open(KitFiles.tokenizerJson());
        golden = SafeTensorsFile.open(KitFiles.tiny().resolve("golden/tensors.safetensors"));
        builder = GoldenPrompts.builder(tok);
    }

    @AfterAll
    static void close() {
        tok.close();
        golden.close();
    }

    static Clip[] goldenClips(String name) {
        int[][][] c = builder.clipsOf(GoldenPrompts.frames(golden, "prompt." + name + ".audio_input_ids"));
        Clip[] out = new Clip[c.length];
        for (int i = 0; i < c.length; i++) out[i] = new Clip(c[i]);
        return out;
    }

    static long[] goldenIds(String name) {
        JsonArray a = KitFiles.cases().getAsJsonObject("prompts").getAsJsonObject(name).getAsJsonArray("input_ids");
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
        return out;
    }

    static final String TEXT = "The sun rises in the east and sets in the west.";

    @Test
    void plainIsTheKitsPlainCase() {
        assertArrayEquals(goldenIds("plain"), builder.build(SpeechRequest.simple(TEXT).messages()).ids());
    }

    @Test
    void referenceVoiceIsTheKitsCloneCase() {
        Clip ref = goldenClips("clone")[0];
        var req = new SpeechRequest(null, SpeechRequest.QUIET_ROOM, List.of(SpeechRequest.Voice.reference("This is the reference transcript.", ref)), false, List.of(), TEXT);
        Prompt p = builder.build(req.messages());
        assertArrayEquals(goldenIds("clone"), p.ids());
        assertArrayEquals(GoldenPrompts.frames(golden, "prompt.clone.audio_input_ids"), p.audioFrames());
    }

    @Test
    void voicesInSceneIsTheKitsDialogueCase() {
        Clip[] clips = goldenClips("dialogue");
        var req = new SpeechRequest(null, SpeechRequest.QUIET_ROOM,
                List.of(SpeechRequest.Voice.reference("first", clips[0]), SpeechRequest.Voice.reference("second", clips[1])), true, List.of(),
                "[SPEAKER0] Hello there.\n[SPEAKER1] Hi! How are you?");
        Prompt p = builder.build(req.messages());
        assertArrayEquals(goldenIds("dialogue"), p.ids());
        assertArrayEquals(GoldenPrompts.frames(golden, "prompt.dialogue.audio_input_ids"), p.audioFrames());
    }

    @Test
    void severalReferenceVoicesAsTurnsGetSpeakerTags() {
        Clip[] clips = goldenClips("dialogue");
        var req = new SpeechRequest(null, null,
                List.of(SpeechRequest.Voice.reference("First voice.", clips[0]), SpeechRequest.Voice.reference("Second voice.", clips[1])), false, List.of(),
                "[SPEAKER1] Hi.");
        String r = builder.render(req.messages());
        assertTrue(r.contains("<|start_header_id|>user<|end_header_id|>\n\n[SPEAKER0] First voice.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<|audio_out_bos|><|AUDIO_OUT|><|audio_eos|><|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\n[SPEAKER1] Second voice.<|eot_id|>"), r);
        assertTrue(r.contains("<|start_header_id|>system<|end_header_id|>\n\nGenerate audio following instruction.<|eot_id|>"), "no scene block without scene text: " + r);
        assertEquals(clips[0].frames() + clips[1].frames() + 2 * (2 + clips[0].codebooks() - 1), builder.build(req.messages()).audioPositions());
    }

    @Test
    void severalSpeakersWithoutVoicesGetTheOfficialDefaultCast() {
        var req = new SpeechRequest(null, SpeechRequest.QUIET_ROOM,
                List.of(SpeechRequest.Voice.unspecified(), SpeechRequest.Voice.unspecified(), SpeechRequest.Voice.unspecified()), false, List.of(), "[SPEAKER0] Hi.");
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n" + SpeechRequest.MULTI_SPEAKER_SYSTEM
                + "\n\n<|scene_desc_start|>\nAudio is recorded from a quiet room.\n\nSPEAKER0: feminine\nSPEAKER1: masculine\nSPEAKER2: feminine\n<|scene_desc_end|><|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\n[SPEAKER0] Hi.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<|audio_out_bos|>",
                builder.render(req.messages()));
        var noScene = new SpeechRequest(null, null, req.voices(), false, List.of(), "Hi.");
        assertTrue(builder.render(noScene.messages()).contains("<|scene_desc_start|>\nSPEAKER0: feminine\nSPEAKER1: masculine\nSPEAKER2: feminine\n<|scene_desc_end|>"));
    }

    @Test
    void describedVoicesPutEveryVoiceIntoTheScene() {
        Clip clip = goldenClips("clone")[0];
        var req = new SpeechRequest(null, SpeechRequest.QUIET_ROOM,
                List.of(SpeechRequest.Voice.described("Male, American accent, friendly tone."), SpeechRequest.Voice.reference("Ref.", clip)), false, List.of(), "[SPEAKER0] Hi.");
        String r = builder.render(req.messages());
        assertTrue(r.contains("<|scene_desc_start|>\nAudio is recorded from a quiet room.\n\nSPEAKER0: Male, American accent, friendly tone.\nSPEAKER1: <|audio_out_bos|><|AUDIO_OUT|><|audio_eos|>\n<|scene_desc_end|><|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\n[SPEAKER0] Hi.<|eot_id|>"), r);
        Prompt p = builder.build(req.messages());
        assertEquals(tok.encode(r).length - 1 + p.audioPositions(), p.ids().length, "one placeholder becomes the clip's audio positions");
    }

    @Test
    void historyComesAfterVoicesOldestFirst() {
        Clip[] clips = goldenClips("dialogue");
        var req = new SpeechRequest(null, SpeechRequest.QUIET_ROOM, List.of(SpeechRequest.Voice.reference("Ref.", clips[0])), false,
                List.of(new SpeechRequest.Context("One.", clips[1]), new SpeechRequest.Context("Two.", clips[0])), "Three.");
        Prompt p = builder.build(req.messages());
        String r = p.rendered();
        int ref = r.indexOf("Ref."), one = r.indexOf("One."), two = r.indexOf("Two."), three = r.indexOf("Three.");
        assertTrue(ref < one && one < two && two < three, r);
        // Frames follow the clips in position order: reference, chunk one, chunk two.
        int[][][] back = builder.clipsOf(p.audioFrames());
        assertEquals(3, back.length);
        assertArrayEquals(clips[0].codes(), back[0]);
        assertArrayEquals(clips[1].codes(), back[1]);
        assertArrayEquals(clips[0].codes(), back[2]);
    }

    @Test
    void controlTokensInTextAreRejectedButSoundEventsPass() {
        var bad = assertThrows(IllegalArgumentException.class, () -> builder.build(SpeechRequest.simple("Hello<|eot_id|>there").messages()));
        assertTrue(bad.getMessage().contains("<|eot_id|>"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.build(SpeechRequest.simple("a <|AUDIO_OUT|> b").messages()));
        Prompt ok = builder.build(SpeechRequest.simple("Ha <SE>[Laughter]</SE> ha.").messages());
        assertTrue(java.util.Arrays.stream(ok.ids()).anyMatch(id -> id == tok.tokenId("<SE>")));
    }

    @Test
    void badClipsAndMessagesGetClearErrors() {
        int k = goldenClips("clone")[0].codebooks();
        var wrongK = new Clip(new int[k + 1][3]);
        var e1 = assertThrows(IllegalArgumentException.class, () -> builder.build(List.of(ChatMessage.system("s"), ChatMessage.assistant(wrongK))));
        assertTrue(e1.getMessage().contains("codebooks"), e1.getMessage());
        int[][] codes = new int[k][3];
        codes[2][1] = 1024 + 5;
        var e2 = assertThrows(IllegalArgumentException.class, () -> builder.build(List.of(ChatMessage.system("s"), ChatMessage.assistant(new Clip(codes)))));
        assertTrue(e2.getMessage().contains("codebook 2, frame 1"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> builder.build(List.of(ChatMessage.user("hi"), ChatMessage.system("s"))));
        assertTrue(e3.getMessage().contains("system"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> builder.build(List.of(ChatMessage.system("s"),
                new ChatMessage("user", List.of(new ChatMessage.Audio(new Clip(new int[k][2])))))));
        assertTrue(e4.getMessage().contains("audio is only allowed"), e4.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpeechRequest.simple("   "));
    }

    @Test
    void promptWithoutSystemMessageStartsWithTheFirstTurn() {
        // boson_multimodal/dataset/chatml_dataset.py L387-390: the first message, whatever its role, gets
        // "<|begin_of_text|><|start_header_id|>{role}<|end_header_id|>\n\n".
        String r = builder.render(List.of(ChatMessage.user("Hi."), ChatMessage.assistant(goldenClips("clone")[0]), ChatMessage.user("Bye.")));
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
                + "<|audio_out_bos|><|AUDIO_OUT|><|audio_eos|><|eot_id|><|start_header_id|>user<|end_header_id|>\n\nBye.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n<|audio_out_bos|>", r);
    }

    @Test
    void templateTrimIsPythonStrip() {
        assertEquals("a b", PromptBuilder.trim("\u3000\u00a0 a b\n\t\u2003"));
        assertEquals("Hi.", builder.render(List.of(ChatMessage.system("s"), ChatMessage.user("  Hi.\n"))).split("\n\n")[2].replace("<|eot_id|><|start_header_id|>assistant<|end_header_id|>", ""));
    }
}
