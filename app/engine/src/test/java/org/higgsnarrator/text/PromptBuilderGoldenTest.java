package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit's prompt cases: the conversation of cases.json, with the reference clips' codes taken from the golden
 * {@code audio_input_ids} (until the codec exists), must give the golden rendered text, input_ids and audio frames.
 */
class PromptBuilderGoldenTest {
    static TextTokenizer tok;
    static SafeTensorsFile golden;

    @BeforeAll
    static void load() {
        tok = TextTokenizer.open(KitFiles.tokenizerJson());
        golden = SafeTensorsFile.open(KitFiles.tiny().resolve("golden/tensors.safetensors"));
    }

    @AfterAll
    static void close() {
        tok.close();
        golden.close();
    }

    static Stream<String> promptNames() {
        return KitFiles.cases().getAsJsonObject("prompts").keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("promptNames")
    void matchesGolden(String name) {
        JsonObject c = KitFiles.cases().getAsJsonObject("prompts").getAsJsonObject(name);
        PromptBuilder builder = GoldenPrompts.builder(tok);
        String framesName = "prompt." + name + ".audio_input_ids";
        int[][] goldenFrames = golden.contains(framesName) ? GoldenPrompts.frames(golden, framesName) : new int[0][];
        int[][][] clips = builder.clipsOf(goldenFrames);

        List<ChatMessage> messages = ChatJson.parse(c.getAsJsonArray("conversation"), (i, path) -> new Clip(clips[i]));
        Prompt p = builder.build(messages);

        assertEquals(c.get("rendered").getAsString(), p.rendered());
        JsonArray ids = c.getAsJsonArray("input_ids");
        long[] want = new long[ids.size()];
        for (int i = 0; i < want.length; i++) want[i] = ids.get(i).getAsLong();
        assertArrayEquals(want, p.ids());
        assertEquals(goldenFrames.length, p.audioPositions());
        for (int t = 0; t < goldenFrames.length; t++) assertArrayEquals(goldenFrames[t], p.audioFrames()[t], "audio frame " + t);

        // The mask marks batch padding only: a single prompt's frames are all valid.
        String maskName = framesName + "_mask";
        if (golden.contains(maskName)) {
            var seg = golden.bytes(maskName);
            assertEquals(goldenFrames.length, golden.info(maskName).numel());
            for (int t = 0; t < goldenFrames.length; t++) assertEquals(1L, seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, t));
        } else {
            assertFalse(golden.contains(framesName), "audio_input_ids without a mask");
        }
    }
}
