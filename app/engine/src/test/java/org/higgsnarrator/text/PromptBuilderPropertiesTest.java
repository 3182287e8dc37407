package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Clip expansion for any clips: ids and frames line up, and the clips come back out of the frames unchanged. */
class PromptBuilderPropertiesTest {
    static TextTokenizer tok;
    static PromptBuilder builder;
    static int k, codebookSize;

    @BeforeContainer
    static void load() {
        tok = TextTokenizer.open(KitFiles.tokenizerJson());
        builder = GoldenPrompts.builder(tok);
        var c = KitFiles.json(KitFiles.tiny().resolve("model-hf/config.json"));
        k = c.get("num_codebooks").getAsInt();
        codebookSize = c.get("audio_stream_bos_id").getAsInt();
    }

    @AfterContainer
    static void close() {
        tok.close();
    }

    @Property(tries = 100)
    void expansionLinesUpAndInverts(@ForAll @Size(max = 4) List<@IntRange(min = 0, max = 40) Integer> clipFrames, @ForAll long seed) {
        Random rnd = new Random(seed);
        List<int[][]> codes = new ArrayList<>();
        List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.system("Generate audio following instruction.")));
        for (int n : clipFrames) {
            int[][] c = new int[k][n];
            for (int[] row : c) for (int t = 0; t < n; t++) row[t] = rnd.nextInt(codebookSize);
            codes.add(c);
            messages.add(ChatMessage.user("Transcript " + codes.size() + "."));
            messages.add(ChatMessage.assistant(new Clip(c)));
        }
        messages.add(ChatMessage.user("Speak this."));
        Prompt p = builder.build(messages);

        long audioOut = tok.tokenId("<|AUDIO_OUT|>"), delay = tok.tokenId("<|reserved_special_token_6|>");
        int positions = 0;
        for (long id : p.ids()) if (id == audioOut || id == delay) positions++;
        assertEquals(positions, p.audioPositions(), "one frame per audio position");
        int expected = 0;
        for (int n : clipFrames) expected += n + 2 + k - 1;
        assertEquals(expected, p.audioPositions());

        int[][][] back = builder.clipsOf(p.audioFrames());
        assertEquals(codes.size(), back.length);
        for (int i = 0; i < back.length; i++) assertArrayEquals(codes.get(i), back[i]);
    }
}
