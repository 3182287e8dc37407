package org.higgsnarrator.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.Conversation;
import org.higgsnarrator.engine.ConversationPlanner;
import org.junit.jupiter.api.Test;

/** The chat body both ways: what the render client writes is what the server reads back, turn for turn. */
class ChatRequestTest {
    @Test
    void systemPromptAndSceneRoundTrip() {
        List<String> scene = List.of("Audio is recorded from a quiet room.", "SPEAKER0: feminine", "SPEAKER1: masculine");
        String text = SystemPrompt.write("Generate audio following instruction.", scene);
        assertEquals("Generate audio following instruction.\n\n<|scene_desc_start|>\nAudio is recorded from a quiet room.\n\nSPEAKER0: feminine\n"
                + "SPEAKER1: masculine\n<|scene_desc_end|>", text);
        assertEquals(new SystemPrompt.Parsed("Generate audio following instruction.", scene), SystemPrompt.read(text));
        assertEquals("Plain.", SystemPrompt.write("Plain.", List.of()));
        ApiError e = assertThrows(ApiError.class, () -> SystemPrompt.read("x <|scene_desc_start|> never closed"));
        assertEquals(400, e.status());
    }

    @Test
    void theClientsBodyParsesBackToTheSameConversation() {
        int[][] ref = {{}}, context = {{}};
        Conversation c = new Conversation(ConversationPlanner.SYSTEM, List.of("Audio is recorded from a quiet room."), List.of(
                new Conversation.UserText("Reference words."), new Conversation.AssistantAudio(ref),
                new Conversation.UserText("Earlier chunk."), new Conversation.AssistantAudio(context),
                new Conversation.UserText("Now this.")));
        Map<int[][], byte[]> audio = new IdentityHashMap<>();
        audio.put(ref, new byte[] {1, 2, 3});
        audio.put(context, new byte[] {4, 5});
        GenerationOptions o = GenerationOptions.defaults().withSeed(41).withMaxFrames(300);
        JsonObject body = RemoteRenderer.chatBody(c, audio, Map.of(), o);
        ChatRequest r = ChatRequest.parse(JsonParser.parseString(body.toString()).getAsJsonObject(), GenerationOptions.defaults(), ChatRequest.Limits.DEFAULT);
        int[][] refCodes = {{7}}, contextCodes = {{8}};
        Conversation back = r.conversation(clip -> clip.audio().length == 3 ? refCodes : contextCodes);
        assertEquals(c.system(), back.system());
        assertEquals(c.scene(), back.scene());
        assertEquals(5, back.messages().size());
        assertEquals(c.messages().get(0), back.messages().get(0));
        assertSame(refCodes, ((Conversation.AssistantAudio) back.messages().get(1)).codes());
        assertSame(contextCodes, ((Conversation.AssistantAudio) back.messages().get(3)).codes());
        assertEquals(new Conversation.UserText("Now this."), back.messages().get(4));
        assertEquals(41, r.options().seed());
        assertEquals(300, r.options().maxFrames());
        assertEquals(o.temperature(), r.options().temperature());
        assertEquals(o.topK(), r.options().topK());
        assertEquals(o.rasWindow(), r.options().rasWindow());
        assertFalse(r.stream());
        assertEquals("wav", r.audioFormat());
    }

    @Test
    void greedyTravelsAsTemperatureZero() {
        JsonObject body = RemoteRenderer.chatBody(new Conversation("S.", List.of(), List.of(new Conversation.UserText("Hi."))), Map.of(), Map.of(),
                GenerationOptions.greedyReference());
        assertEquals(0.0, body.get("temperature").getAsDouble());
        GenerationOptions o = ChatRequest.parse(body, GenerationOptions.defaults(), ChatRequest.Limits.DEFAULT).options();
        assertTrue(o.greedy());
        assertEquals(0, o.rasWindow());
    }

    @Test
    void dataUrlsAndMimeBase64AreAudioButRemoteUrlsAreNot() {
        String ok = "{\"messages\": [{\"role\": \"assistant\", \"content\": [{\"type\": \"audio_url\", \"audio_url\": {\"url\": \"data:audio/wav;base64,AQID\"}}]},"
                + " {\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi \"}, {\"type\": \"text\", \"text\": \"there.\"}]}]}";
        ChatRequest r = ChatRequest.parse(JsonParser.parseString(ok).getAsJsonObject(), GenerationOptions.defaults(), ChatRequest.Limits.DEFAULT);
        assertArrayEquals(new byte[] {1, 2, 3}, ((ChatRequest.AssistantClip) r.turns().get(0)).audio());
        assertEquals(new ChatRequest.UserText("Hi there."), r.turns().get(1));
        String remote = ok.replace("data:audio/wav;base64,AQID", "http://example.com/a.wav");
        ApiError e = assertThrows(ApiError.class, () -> ChatRequest.parse(JsonParser.parseString(remote).getAsJsonObject(), GenerationOptions.defaults(),
                ChatRequest.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("data URL"), e.getMessage());
    }

    @Test
    void serverAddresses() {
        assertEquals("http://gpu:8000", RenderServer.normalize("gpu:8000").toString());
        assertEquals("http://127.0.0.1:8000", RenderServer.normalize("http://127.0.0.1:8000/v1/").toString());
        assertThrows(IllegalArgumentException.class, () -> RenderServer.normalize("ftp://x"));
    }
}
