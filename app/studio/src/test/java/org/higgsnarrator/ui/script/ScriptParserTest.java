package org.higgsnarrator.ui.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
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
        List<Segment> segs = ScriptParser.parse(s, Set.of("Narrator"));
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
    void knownLowercaseNamesCountAndEmptyLinesAreDropped() {
        List<Segment> segs = ScriptParser.parse("dj: welcome back\nMary Ann Smith: hi\nAlice:\n", Set.of("DJ"));
        assertEquals(2, segs.size(), segs.toString());
        assertEquals("dj", segs.get(0).speakerName());
        assertEquals("Mary Ann Smith", segs.get(1).speakerName());
        assertEquals(List.of(), ScriptParser.parse("", Set.of()));
    }
}
