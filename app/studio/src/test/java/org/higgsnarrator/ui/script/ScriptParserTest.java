package org.higgsnarrator.ui.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.higgsnarrator.engine.ChapterSplitter;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.engine.Voice;
import org.higgsnarrator.text.TextNormalizer;
import org.junit.jupiter.api.Test;

class ScriptParserTest {
    @Test
    void paragraphsNamesAndSpeakerTags() {
        String s = """
                It was a dark night.
                The wind howled.

                Alice: Who's there?
                I said, who's there?
                [SPEAKER2] Only me. [laugh]
                  Bob:   Relax.

                note: this line is narration.
                """;
        List<Segment> segs = ScriptParser.parse(s);
        assertEquals(5, segs.size(), segs.toString());
        assertEquals("It was a dark night. The wind howled.", segs.get(0).text());
        assertEquals(true, segs.get(0).isNarration());
        assertEquals("Alice", segs.get(1).speakerName());
        assertEquals("Who's there? I said, who's there?", segs.get(1).text());
        assertEquals(2, segs.get(2).speakerIndex());
        assertEquals("Only me. [laugh]", segs.get(2).text());
        assertEquals("Bob", segs.get(3).speakerName());
        assertEquals("Relax.", segs.get(3).text());
        assertEquals("note: this line is narration.", segs.get(4).text());
        assertNull(segs.get(4).speakerName());
        // Offsets point into the script: the prefix and the whole segment.
        Segment alice = segs.get(1);
        assertEquals("Alice: ", s.substring(alice.start(), alice.tagEnd()));
        assertEquals("Alice: Who's there?\nI said, who's there?", s.substring(alice.start(), alice.end()));
        for (int i = 0; i < segs.size(); i++) assertEquals(i, segs.get(i).index());
    }

    @Test
    void namesFollowTheEnginesRuleAndNoSegmentIsEmpty() {
        // "dj:" is not capitalised, so the engine reads it as narration; a lone "Alice:" (no words) is not a speaker
        // line either, it continues the turn before. No empty segment comes out.
        String s = "dj: welcome back\nMary Ann Smith: hi\nAlice:\n";
        List<Segment> segs = ScriptParser.parse(s);
        assertEquals(2, segs.size(), segs.toString());
        assertTrue(segs.getFirst().isNarration());
        assertEquals("dj: welcome back", segs.getFirst().text());
        assertEquals("Mary Ann Smith", segs.get(1).speakerName());
        assertEquals("hi Alice:", segs.get(1).text());
        assertEquals("Mary Ann Smith: ", s.substring(segs.get(1).start(), segs.get(1).tagEnd()));
        assertEquals(List.of(), ScriptParser.parse(""));
        assertEquals(List.of(), ScriptParser.parse("\n  \n"));
    }

    @Test
    void tagsInsideALineStartASegmentAtTheTag() {
        String s = "Hello there. [SPEAKER1] Hi!\n  more  from\tone\n\n[SPEAKER0]\nAlone.";
        List<Segment> segs = ScriptParser.parse(s);
        assertEquals(3, segs.size(), segs.toString());
        assertEquals("Hello there.", s.substring(segs.get(0).start(), segs.get(0).end()));
        assertEquals(1, segs.get(1).speakerIndex());
        assertEquals("[SPEAKER1] ", s.substring(segs.get(1).start(), segs.get(1).tagEnd()));
        assertEquals("Hi! more from one", segs.get(1).text());
        assertEquals("[SPEAKER1] Hi!\n  more  from\tone", s.substring(segs.get(1).start(), segs.get(1).end()));
        assertEquals(0, segs.get(2).speakerIndex());
        assertEquals("[SPEAKER0]\nAlone.", s.substring(segs.get(2).start(), segs.get(2).end()));
    }

    /** The studio's segments are the engine's chunks: same count, same speaker, same words, in the same order. */
    @Test
    void segmentsAreTheEnginesTurns() {
        String s = """
                # Chapter One

                It was a dark night.
                The wind howled.

                Alice: Who's there?
                I said, who's there?
                [SPEAKER2] Only me. [laugh]
                  Bob:   Relax. [SPEAKER2] Fine.

                note: this line is narration.
                Dr. Watson: Indeed.
                """;
        List<Segment> segs = ScriptParser.parse(s);
        List<ScriptChunk> chunks = new ChapterSplitter().split(s, 200);
        assertEquals(chunks.size(), segs.size(), segs + "\n" + chunks);
        for (int i = 0; i < segs.size(); i++) {
            Segment g = segs.get(i);
            String speaker = g.speakerName() != null ? g.speakerName() : g.speakerIndex() >= 0 ? "SPEAKER" + g.speakerIndex() : Voice.NARRATOR;
            assertEquals(chunks.get(i).speaker(), speaker, "segment " + i);
            assertTrue(chunks.get(i).text().endsWith(TextNormalizer.normalize(g.text())), chunks.get(i) + " vs " + g);
            assertEquals(g.text().replaceAll("\\s+", " "), s.substring(g.tagEnd(), g.end()).replaceAll("\\s+", " "));
        }
        assertTrue(segs.stream().noneMatch(g -> g.text().contains("Chapter One")), "headings are not spoken");
    }
}
