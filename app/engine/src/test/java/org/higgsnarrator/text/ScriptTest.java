package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ScriptTest {
    static final ScriptOptions DEFAULTS = ScriptOptions.defaults();

    @Test
    void malformedSpeakerTagsAreReportedWithTheirLine() {
        String text = "[SPEAKER0] Fine.\n\n[Speaker 1] Hello.\n[SPEAKER] Who?\n(speaker2) and [speaker_3 yes\n[SPEAKER4] ok";
        var w = Script.malformedTags(text);
        assertEquals(4, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("line 3: \"[Speaker 1]\"") && w.get(0).contains("write [SPEAKER1]"), w.get(0));
        assertTrue(w.get(1).startsWith("line 4") && w.get(1).contains("[SPEAKERn]"), w.get(1));
        assertTrue(w.get(2).contains("(speaker2)") && w.get(3).contains("[SPEAKER3]"), w.toString());
        assertEquals(java.util.List.of(), Script.malformedTags("Alice: Hi.\n[SPEAKER1] Yes.\nThe speaker said [sic]."));
    }

    @Test
    void chaptersParagraphsAndWrappedLines() {
        Script s = Script.parse("Intro line one\nline two.\n\n# Chapter One\n\nFirst para.\n\nSecond\npara.\n## Chapter Two ##\nLast.", DEFAULTS);
        assertEquals(3, s.chapters().size());
        assertEquals("", s.chapters().get(0).title());
        assertEquals(List.of(new Script.Turn(-1, "Intro line one line two.")), s.chapters().get(0).paragraphs().get(0).turns());
        assertEquals("Chapter One", s.chapters().get(1).title());
        assertEquals(2, s.chapters().get(1).paragraphs().size());
        assertEquals("Second para.", s.chapters().get(1).paragraphs().get(1).turns().get(0).text());
        assertEquals("Chapter Two ##", s.chapters().get(2).title());
        assertTrue(s.cast().isEmpty());
        assertEquals(List.of(), s.speakerSlots());
    }

    @Test
    void speakerTagsAndNamesMapToSlots() {
        String text = """
                [SPEAKER1] Hello there.
                Alice: Hi! How are you?
                Bob: Fine.
                  Really fine.
                [SPEAKER1] Good. [SPEAKER0] Me too.

                The narrator speaks.""";
        Script s = Script.parse(text, DEFAULTS);
        List<Script.Turn> turns = s.chapters().get(0).paragraphs().get(0).turns();
        assertEquals(List.of(new Script.Turn(1, "Hello there."), new Script.Turn(2, "Hi! How are you?"), new Script.Turn(3, "Fine. Really fine."),
                new Script.Turn(1, "Good."), new Script.Turn(0, "Me too.")), turns);
        // Tags own their numbers (0 and 1 occur), so the names take the next free slots.
        assertEquals(Map.of("SPEAKER1", 1, "Alice", 2, "Bob", 3, "SPEAKER0", 0), s.cast());
        assertEquals(new Script.Turn(-1, "The narrator speaks."), s.chapters().get(0).paragraphs().get(1).turns().get(0));
        assertEquals(List.of(0, 1, 2, 3), s.speakerSlots());
    }

    @Test
    void castOptionFixesSlotsAndNameDetectionCanBeOff() {
        Script s = Script.parse("Bob: one.\nAlice: two.", DEFAULTS.withCast(Map.of("Alice", 3)));
        assertEquals(List.of(new Script.Turn(0, "one."), new Script.Turn(3, "two.")), s.chapters().get(0).paragraphs().get(0).turns());
        Script prose = Script.parse("Note: this is prose.", DEFAULTS.withDetectNames(false));
        assertEquals(List.of(new Script.Turn(-1, "Note: this is prose.")), prose.chapters().get(0).paragraphs().get(0).turns());
        Script onlyCast = Script.parse("Note: prose.\nAlice: hi.", DEFAULTS.withDetectNames(false).withCast(Map.of("Alice", 0)));
        assertEquals(List.of(new Script.Turn(-1, "Note: prose."), new Script.Turn(0, "hi.")), onlyCast.chapters().get(0).paragraphs().get(0).turns());
    }

    @Test
    void aChunkCutInsideASentenceGainsNoPeriod() {
        Script s = Script.parse("one two three four five six seven\n\nLast words", DEFAULTS);
        assertEquals(List.of("one two three", "four five six", "seven", "Last words."),
                s.chunks(DEFAULTS.withMaxWords(3)).stream().map(Script.Chunk::text).toList());
    }

    @Test
    void turnChunksAreTaggedWhenSeveralSpeakersSpeak() {
        Script s = Script.parse("[SPEAKER0] Hello there\n[SPEAKER1] Hi! How are you?\n\nNarration (quietly)", DEFAULTS);
        // normalized as one transcript (generation.py L700–728): only the script's end gains the final period, not a
        // turn its author left without one
        assertEquals(List.of(new Script.Chunk(0, 0, 0, "[SPEAKER0] Hello there"), new Script.Chunk(0, 0, 1, "[SPEAKER1] Hi! How are you?"),
                new Script.Chunk(0, 1, -1, "Narration quietly.")), s.chunks(DEFAULTS));
        // With a narrator slot the narration gets its tag too.
        assertEquals("[SPEAKER2] Narration quietly.", s.chunks(DEFAULTS.withNarratorSlot(2)).get(2).text());
        // One speaker: no tags at all.
        Script one = Script.parse("[SPEAKER0] Hello.\n\n[SPEAKER0] Again.", DEFAULTS);
        assertEquals(List.of(new Script.Chunk(0, 0, 0, "Hello."), new Script.Chunk(0, 1, 0, "Again.")), one.chunks(DEFAULTS));
    }

    @Test
    void paragraphChunksHoldSeveralTurnsLikeTheDialogueCase() {
        Script s = Script.parse("[SPEAKER0] Hello there.\n[SPEAKER1] Hi! How are you?", DEFAULTS);
        assertEquals(List.of(new Script.Chunk(0, 0, -1, "[SPEAKER0] Hello there.\n[SPEAKER1] Hi! How are you?")),
                s.chunks(DEFAULTS.withChunkMode(ScriptOptions.ChunkMode.PARAGRAPH)));
        Script mono = Script.parse("One. Two.\n\nThree.", DEFAULTS);
        assertEquals(List.of(new Script.Chunk(0, 0, -1, "One. Two."), new Script.Chunk(0, 1, -1, "Three.")),
                mono.chunks(DEFAULTS.withChunkMode(ScriptOptions.ChunkMode.PARAGRAPH)));
    }

    @Test
    void longTextIsCutAtSentencesThenWords() {
        assertEquals(List.of("One two three.", "Four five.", "Six seven eight", "nine ten eleven", "twelve."),
                Script.split("One two three. Four five. Six seven eight nine ten eleven twelve.", 3));
        assertEquals(List.of("你好世界。", "今天天气", "很好！"), Script.split("你好世界。今天天气很好！", 4));
        assertEquals(3, Script.words("hello, 世界"));
    }

    /** No chunk exceeds the limit, and no word is lost or reordered. */
    @Property(tries = 200)
    void chunksRespectMaxWordsAndKeepEveryWord(@ForAll @StringLength(max = 400) String raw, @ForAll @IntRange(min = 1, max = 12) int maxWords) {
        String text = raw.replace('[', '(').replace('#', ' ');   // plain prose, no tags or headings
        Script s = Script.parse(text, DEFAULTS.withDetectNames(false));
        for (Script.Chapter c : s.chapters()) for (Script.Paragraph p : c.paragraphs()) for (Script.Turn t : p.turns()) {
            List<String> pieces = Script.split(t.text(), maxWords);
            for (String piece : pieces) assertTrue(Script.words(piece) <= maxWords, () -> "piece '" + piece + "' over " + maxWords);
            StringBuilder joined = new StringBuilder();
            for (String piece : pieces) joined.append(noSpace(piece));
            assertEquals(noSpace(t.text()), joined.toString());
        }
    }

    static String noSpace(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) if (!PromptBuilder.isPySpace(c)) b.append(c);
        return b.toString();
    }
}
