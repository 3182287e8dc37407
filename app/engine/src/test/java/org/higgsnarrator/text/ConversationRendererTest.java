package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import java.util.List;
import org.higgsnarrator.decode.PromptTokens;
import java.util.Map;
import org.higgsnarrator.engine.ChapterSplitter;
import org.higgsnarrator.engine.Conversation;
import org.higgsnarrator.engine.ConversationPlanner;
import org.higgsnarrator.engine.ConversationRenderer;
import org.higgsnarrator.engine.Voice;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one prompt path (script + voices + scene → ConversationPlanner → ConversationRenderer) gives the kit's prompts. */
class ConversationRendererTest {
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

    static long[] goldenIds(String name) {
        JsonArray a = KitFiles.cases().getAsJsonObject("prompts").getAsJsonObject(name).getAsJsonArray("input_ids");
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
        return out;
    }

    @Test
    void cloneCaseInTheEnginesForm() {
        int[][] frames = GoldenPrompts.frames(golden, "prompt.clone.audio_input_ids");
        int[][] codes = builder.clipsOf(frames)[0];
        var conv = new Conversation("Generate audio following instruction.", List.of("Audio is recorded from a quiet room."),
                List.of(new Conversation.UserText("This is the reference transcript."), new Conversation.AssistantAudio(codes),
                        new Conversation.UserText("The sun rises in the east and sets in the west")));   // normalizer adds the period
        PromptTokens p = new ConversationRenderer(builder, true).render(conv);
        assertArrayEquals(goldenIds("clone"), p.ids());
        assertArrayEquals(frames, p.audioFrames());
    }

    @Test
    void sceneLinesFollowTheOfficialLayout() {
        var conv = new Conversation("S", List.of("Audio is recorded from a quiet room.", "SPEAKER0: feminine", "SPEAKER1: masculine"),
                List.of(new Conversation.UserText("[SPEAKER0] Hi (softly)")));
        String r = builder.render(new ConversationRenderer(builder, true).messages(conv));
        assertTrue(r.contains("<|scene_desc_start|>\nAudio is recorded from a quiet room.\n\nSPEAKER0: feminine\nSPEAKER1: masculine\n<|scene_desc_end|>"), r);
        assertTrue(r.contains("\n\n[SPEAKER0] Hi softly.<|eot_id|>"), r);
        var onlySpeakers = new Conversation("S", List.of("SPEAKER0: feminine", "SPEAKER1: masculine"), List.of(new Conversation.UserText("Hi.")));
        assertTrue(builder.render(new ConversationRenderer(builder, false).messages(onlySpeakers))
                .contains("<|scene_desc_start|>\nSPEAKER0: feminine\nSPEAKER1: masculine\n<|scene_desc_end|>"));
        var noScene = new Conversation("S", List.of(), List.of(new Conversation.UserText("Hi")));
        assertEquals(1, new ConversationRenderer(builder, false).messages(noScene).stream().filter(m -> m.role().equals("user")).count());
        assertTrue(builder.render(new ConversationRenderer(builder, false).messages(noScene)).contains("\n\nS<|eot_id|>"));
    }

    static final String TEXT = "The sun rises in the east and sets in the west.";

    /** What SpeechRequest's tests checked, now through the planner the engine uses: the kit's plain and clone cases. */
    @Test
    void plannerFromScriptVoicesAndSceneGivesTheKitsPlainAndCloneCases() {
        var chunks = new ChapterSplitter().split(TEXT, 200);
        var renderer = new ConversationRenderer(builder, true);
        var plain = new ConversationPlanner(Map.of(), List.of(ConversationPlanner.QUIET_ROOM), chunks).conversation(chunks.getFirst(), List.of());
        assertArrayEquals(goldenIds("plain"), renderer.render(plain).ids());

        int[][] frames = GoldenPrompts.frames(golden, "prompt.clone.audio_input_ids");
        var voices = Map.of(Voice.NARRATOR, Voice.cloned(Voice.NARRATOR, builder.clipsOf(frames)[0], "This is the reference transcript."));
        var clone = new ConversationPlanner(voices, List.of(ConversationPlanner.QUIET_ROOM), chunks).conversation(chunks.getFirst(), List.of());
        PromptTokens p = renderer.render(clone);
        assertArrayEquals(goldenIds("clone"), p.ids());
        assertArrayEquals(frames, p.audioFrames());
    }
}
