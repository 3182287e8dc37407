package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    @Test
    void chinesePunctuationBecomesAscii() {
        assertEquals("你好, 世界.今天天气很好!", TextNormalizer.normalize("你好，世界。今天天气很好！"));
        assertEquals("\"引号\" '单' <书>:是;否?", TextNormalizer.normalize("“引号” ‘单’ 《书》：是；否？"));
        assertEquals("a,b-c...d.e \"f\" \"g\"", TextNormalizer.normalize("a、b—c…d·e 「f」 『g』"));
    }

    @Test
    void parenthesesBecomeSpacesAndTemperaturesAreSpelled() {
        // As in the example: the parenthesis becomes a space, which stays before the period.
        assertEquals("It was 20 degrees Celsius today or 68 degrees Fahrenheit .", TextNormalizer.normalize("It was 20°C today (or 68°F)."));
        assertEquals("x [y] z.", TextNormalizer.normalize("x（【y】）z"));
    }

    @Test
    void soundEventTagsBecomeSpecialTokenMarkup() {
        assertEquals("Ha <SE>[Laughter]</SE>", TextNormalizer.normalize("Ha [laugh]"));
        assertEquals("<SE_s>[Music]</SE_s> la la <SE_e>[Music]</SE_e>", TextNormalizer.normalize("[music start] la la [music end]"));
        assertEquals("<SE>[Music]</SE> <SE>[Applause]</SE> <SE>[Cheering]</SE> <SE>[Cough]</SE>", TextNormalizer.normalize("[music] [applause] [cheering] [cough]"));
        assertEquals("<SE_s>[Humming]</SE_s> hm <SE_e>[Humming]</SE_e> <SE_s>[Singing]</SE_s> oh <SE_e>[Singing]</SE_e>",
                TextNormalizer.normalize("[humming start] hm [humming end] [sing start] oh [sing end]"));
    }

    @Test
    void whitespaceCollapsesPerLineAndBlankLinesGo() {
        assertEquals("one two three\nfour.", TextNormalizer.normalize("  one \t two\u3000three  \n\n   \nfour\u00a0 "));
        assertEquals("a\nb.", TextNormalizer.normalize("a\r\n\r\nb"));
    }

    @Test
    void periodIsAddedUnlessTheTextEndsAsTheExampleAllows() {
        assertEquals("Hello.", TextNormalizer.normalize("Hello"));
        for (String ok : new String[] {"Hi.", "Hi!", "Hi?", "Hi,", "Hi;", "\"Hi\"", "'Hi'"}) assertEquals(ok, TextNormalizer.normalize(ok));
        assertEquals("Hi:.", TextNormalizer.normalize("Hi:"));
        assertEquals(".", TextNormalizer.normalize(""));
        assertEquals("Wait...", TextNormalizer.normalize("Wait…"));
        assertEquals("Done <SE>[Cough]</SE>", TextNormalizer.normalize("Done [cough]"));
    }

    @Test
    void englishCurlyQuotesAndDashesFollowTheExample() {
        // The example maps these for Chinese text but applies them to all text; we do the same.
        assertEquals("He said \"it's fine\" - really.", TextNormalizer.normalize("He said “it’s fine” — really."));
    }

    /** Renderers may normalize text that was normalized already (chunks, then the prompt): it must not change. */
    @Property(tries = 300)
    void normalizingTwiceChangesNothing(@ForAll("scriptText") String text) {
        String once = TextNormalizer.normalize(text);
        assertEquals(once, TextNormalizer.normalize(once));
    }

    @Provide
    Arbitrary<String> scriptText() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(6),
                Arbitraries.of("，", "。", "（", "）", "(", ")", "°C", "°F", "°", "C", "…", "“", "”", "—", " ", "\n", "\t", "\u3000",
                        "[laugh]", "[music]", "[music start]", "[cough]", "<SE>", "</SE>", ".", "?", "'", "\"", "hello", "你好"));
        return pieces.list().ofMaxSize(12).map(l -> String.join("", l));
    }
}
