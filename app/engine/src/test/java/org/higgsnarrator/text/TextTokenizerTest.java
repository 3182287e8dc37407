package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {
    static TextTokenizer tok;

    @BeforeAll
    static void load() {
        tok = TextTokenizer.open(KitFiles.tokenizerJson());
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    @Test
    void goldenTextTokenizerCases() {
        JsonArray cases = KitFiles.cases().getAsJsonArray("text_tokenizer");
        assertTrue(cases.size() > 0);
        for (JsonElement e : cases) {
            JsonObject c = e.getAsJsonObject();
            String text = c.get("text").getAsString();
            JsonArray ids = c.getAsJsonArray("ids");
            long[] want = new long[ids.size()];
            for (int i = 0; i < want.length; i++) want[i] = ids.get(i).getAsLong();
            assertArrayEquals(want, tok.encode(text), () -> "ids of " + text);
            assertEquals(text, tok.decode(want), "decode of the golden ids of " + text);
        }
    }

    @Test
    void specialTokensAreLookedUpByName() {
        assertEquals(128016, tok.tokenId("<|AUDIO_OUT|>"));
        assertEquals(128014, tok.tokenId("<|reserved_special_token_6|>"));
        assertEquals(tok.tokenId("<|eot_id|>"), tok.encode("<|eot_id|>")[0]);
        assertEquals(1, tok.encode("<SE>").length);
        var e = assertThrows(IllegalArgumentException.class, () -> tok.tokenId("<|no_such_token|>"));
        assertTrue(e.getMessage().contains("<|no_such_token|>"));
    }

    @Test
    void noBosNoTruncationOnLongText() {
        String text = "word ".repeat(5000).strip();
        long[] ids = tok.encode(text);
        assertEquals(5000, ids.length);
        assertTrue(ids[0] != tok.tokenId("<|begin_of_text|>"));
        assertEquals(text, tok.decode(ids));
    }

    @Test
    void missingOrBadFileGivesClearError(@TempDir Path dir) throws Exception {
        var missing = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.open(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
        Path bad = Files.writeString(dir.resolve("tokenizer.json"), "{\"foo\": 1}");
        var e = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.open(bad));
        assertTrue(e.getMessage().contains("not a Hugging Face tokenizer.json"), e.getMessage());
    }
}
