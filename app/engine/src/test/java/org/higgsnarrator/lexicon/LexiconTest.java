package org.higgsnarrator.lexicon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.lexicon.LexiconRule.Kind;
import org.higgsnarrator.lexicon.LexiconRule.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LexiconTest {
    @TempDir
    Path dir;

    @Test
    void wordsPhrasesRegexAndCase() {
        Lexicon l = new Lexicon(List.of(
                LexiconRule.word("Ann", "Anne-with-an-e", false),
                LexiconRule.word("nginx", "engine x", true),
                LexiconRule.word("New York", "Noo York", false),
                new LexiconRule(Kind.REGEX, "\\bDr\\.(?=\\s+\\p{Lu})", "Doctor", false, Scope.PROJECT, ""),
                new LexiconRule(Kind.REGEX, "(\\d+)km\\b", "$1 kilometres", false, Scope.PROJECT, "")));
        assertEquals("Anne-with-an-e met Anne and ANN.", l.apply("Ann met Anne and ANN."));
        assertEquals("engine x, engine x and nginxes", l.apply("NGINX, nginx and nginxes"));
        assertEquals("Noo York and Noo York, not new york", l.apply("New York and New\n  York, not new york"));
        assertEquals("Doctor Who was a dr. in 5 kilometres", l.apply("Dr. Who was a dr. in 5km"));
        assertEquals(List.of(l.rules().get(0)), l.matching("Ann."));
        assertThrows(IllegalArgumentException.class, () -> new LexiconRule(Kind.REGEX, "(", "x", false, Scope.PROJECT, ""));
        assertThrows(IllegalArgumentException.class, () -> new LexiconRule(Kind.REGEX, "a", "$2", false, Scope.PROJECT, ""));
        assertThrows(IllegalArgumentException.class, () -> new LexiconRule(Kind.WORD, "a", "b", false, Scope.VOICE, ""));
    }

    @Test
    void chapterAndVoiceScopesApplyOnlyOnceSelected() {
        Lexicon l = new Lexicon(List.of(LexiconRule.word("tomato", "tomahto", false).scoped(Scope.VOICE, "Alice"),
                LexiconRule.word("Gandalf", "Gan-dalf", false).scoped(Scope.CHAPTER, "Chapter 2"),
                LexiconRule.word("Frodo", "Fro-doe", false)));
        String s = "Frodo gave Gandalf a tomato.";
        assertEquals("Fro-doe gave Gandalf a tomato.", l.apply(s));
        assertEquals("Fro-doe gave Gan-dalf a tomato.", l.forChapter("c1", "chapter 2").apply(s));
        assertEquals("Fro-doe gave Gandalf a tomahto.", l.forVoice(List.of("narrator", "alice")).apply(s));
        assertEquals("Fro-doe gave Gandalf a tomato.", l.forVoice(List.of("Bob")).apply(s));
    }

    @Test
    void plsRoundTripsEverythingAndReadsElevenLabsStyleFiles() throws Exception {
        Lexicon l = new Lexicon(List.of(LexiconRule.word("Hermione", "Her-my-oh-nee", false), LexiconRule.word("SQL", "sequel", true),
                LexiconRule.word("New York", "Noo York", false).scoped(Scope.VOICE, "Alice"),
                new LexiconRule(Kind.REGEX, "(\\d+)km", "$1 kilometres <&>", false, Scope.CHAPTER, "Chapter 3")));
        Path f = dir.resolve("lex.pls");
        LexiconFiles.write(l, f);
        String xml = Files.readString(f);
        assertTrue(xml.contains("http://www.w3.org/2005/01/pronunciation-lexicon") && xml.contains("<alias>Her-my-oh-nee</alias>"), xml);
        assertEquals(l, LexiconFiles.read(f, new ArrayList<>()));
        Path t = dir.resolve("lex.txt");
        LexiconFiles.write(l, t);
        assertEquals(l, LexiconFiles.read(t, new ArrayList<>()));

        Path eleven = Files.writeString(dir.resolve("eleven.pls"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-GB">
                  <lexeme><grapheme>Claughton</grapheme><alias>Cloffton</alias></lexeme>
                  <lexeme><grapheme>UN</grapheme><grapheme>U.N.</grapheme><alias>United Nations</alias></lexeme>
                  <lexeme><grapheme>tomato</grapheme><phoneme>/tə'mɑːtəʊ/</phoneme></lexeme>
                </lexicon>""");
        List<String> notes = new ArrayList<>();
        Lexicon e = LexiconFiles.read(eleven, notes);
        assertEquals(List.of("Claughton", "UN", "U.N."), e.rules().stream().map(LexiconRule::match).toList());
        assertTrue(notes.getFirst().contains("1 lexeme(s) with only <phoneme> skipped"), notes.toString());
        assertEquals("Cloffton, United Nations", e.apply("Claughton, UN"));
    }

    @Test
    void badFilesSayWhereAndWhy() throws Exception {
        Path xxe = Files.writeString(dir.resolve("x.pls"), "<?xml version=\"1.0\"?><!DOCTYPE lexicon [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><lexicon>&e;</lexicon>");
        assertTrue(assertThrows(IOException.class, () -> LexiconFiles.read(xxe, new ArrayList<>())).getMessage().contains("DTD"));
        Path bad = Files.writeString(dir.resolve("bad.txt"), "# ok\nHermione = Her-my-oh-nee\nno separator here\n");
        String m = assertThrows(IOException.class, () -> LexiconFiles.read(bad, new ArrayList<>())).getMessage();
        assertTrue(m.contains("bad.txt line 3") && m.contains("word = replacement"), m);
        Path re = Files.writeString(dir.resolve("re.txt"), "re: (unclosed = x\n");
        assertTrue(assertThrows(IOException.class, () -> LexiconFiles.read(re, new ArrayList<>())).getMessage().contains("re.txt line 1: bad regular expression"));
        Path sec = Files.writeString(dir.resolve("sec.txt"), "[speaker Bob]\n");
        assertTrue(assertThrows(IOException.class, () -> LexiconFiles.read(sec, new ArrayList<>())).getMessage().contains("unknown section"));
        assertFalse(LexiconFiles.parseText("[voice Bob]\ni: x = y\n", "t").rules().isEmpty());
    }
}
