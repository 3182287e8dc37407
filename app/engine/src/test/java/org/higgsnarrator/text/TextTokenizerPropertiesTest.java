package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** decode(encode(s)) == s for any Unicode text, special-token strings included (byte-level BPE loses nothing). */
class TextTokenizerPropertiesTest {
    static TextTokenizer tok;

    @BeforeContainer
    static void load() {
        tok = TextTokenizer.open(KitFiles.tokenizerJson());
    }

    @AfterContainer
    static void close() {
        tok.close();
    }

    @Property(tries = 500)
    void roundTripsArbitraryUnicode(@ForAll("unicodeText") String text) {
        assertEquals(text, tok.decode(tok.encode(text)));
    }

    @Property(tries = 200)
    void roundTripsTextWithSpecialTokens(@ForAll("unicodeText") String a, @ForAll("specials") String special, @ForAll("unicodeText") String b) {
        String text = a + special + b;
        assertEquals(text, tok.decode(tok.encode(text)));
    }

    /** Any scalar value (no lone surrogates: they are not text and have no UTF-8 form), biased to the hard parts. */
    @Provide
    Arbitrary<String> unicodeText() {
        Arbitrary<Integer> anyScalar = Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        Arbitrary<Integer> hard = Arbitraries.of(0, 0x20, 0x09, 0x0A, 0x0D, 0x00A0, 0x3000, 0x200D, 0xFE0F, 0x1F3A7, 0x0301, 0x27, 0x73, 0x3C, 0x7C, 0x3E, 0x31);
        Arbitrary<Integer> cp = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, anyScalar),
                net.jqwik.api.Tuple.of(2, hard),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x4E00, 0x9FFF)));
        return cp.list().ofMaxSize(60).map(cps -> {
            StringBuilder sb = new StringBuilder();
            for (int c : cps) sb.appendCodePoint(c);
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<String> specials() {
        return Arbitraries.of("<|eot_id|>", "<|AUDIO_OUT|>", "<SE>", "</SE_e>", "<|scene_desc_start|>", "<|begin_of_text|>");
    }
}
