package org.higgsnarrator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's view of {@code text.Script}: speaker names, slots and tagged chunk texts (parsing itself: ScriptTest). */
class ChapterSplitterTest {
    final ChapterSplitter splitter = new ChapterSplitter();

    @Test
    void nameLinesAreSpeakersAndTheNarrationGetsTheNextFreeSlot() {
        String script = """
                It was late.   The rain
                kept falling.

                Alice: Where were you?
                Bob: Out.
                Just out.

                [laugh] Nobody believed him.
                """;
        assertEquals(List.of(
                new ScriptChunk(Voice.NARRATOR, 2, "[SPEAKER2] It was late. The rain kept falling."),
                new ScriptChunk("Alice", 0, "[SPEAKER0] Where were you?"),
                new ScriptChunk("Bob", 1, "[SPEAKER1] Out. Just out."),
                new ScriptChunk(Voice.NARRATOR, 2, "[SPEAKER2] <SE>[Laughter]</SE> Nobody believed him.")), splitter.split(script, 200));
    }

    @Test
    void speakerTagsKeepTheirNumbersAndNamesTakeFreeSlots() {
        List<ScriptChunk> chunks = splitter.split("[SPEAKER0] Hi.\nCarol: Hello.\n[SPEAKER2] Hey.", 200);
        assertEquals(List.of(new ScriptChunk("SPEAKER0", 0, "[SPEAKER0] Hi."), new ScriptChunk("Carol", 1, "[SPEAKER1] Hello."),
                new ScriptChunk("SPEAKER2", 2, "[SPEAKER2] Hey.")), chunks);
    }

    @Test
    void oneSpeakerOrPlainNarrationIsUntagged() {
        assertEquals(List.of(new ScriptChunk(Voice.NARRATOR, -1, "One."), new ScriptChunk(Voice.NARRATOR, -1, "Two.")), splitter.split("One.\n\nTwo.", 200));
        assertEquals(List.of(new ScriptChunk("Alice", 0, "Hello."), new ScriptChunk("Alice", 0, "Again.")), splitter.split("Alice: Hello.\n\nAlice: Again.", 200));
        // Headings are chapter titles, not words to speak.
        assertEquals(List.of(new ScriptChunk(Voice.NARRATOR, -1, "Text.")), splitter.split("# Chapter One\n\nText.", 200));
    }

    @Test
    void longTurnsSplitAtSentencesWithinTheWordLimitAndKeepTheirSpeaker() {
        String p = "One two three. Four five six seven. Eight nine. Ten eleven twelve thirteen fourteen fifteen sixteen.";
        List<ScriptChunk> chunks = splitter.split(p, 6);
        assertEquals(List.of("One two three.", "Four five six seven. Eight nine.", "Ten eleven twelve thirteen fourteen fifteen", "sixteen."),
                chunks.stream().map(ScriptChunk::text).toList());
        for (ScriptChunk c : chunks) assertTrue(c.words() <= 6);

        List<ScriptChunk> tagged = splitter.split("Alice: " + p + "\nBob: Yes.", 6);
        assertEquals(5, tagged.size());
        assertEquals(new ScriptChunk("Alice", 0, "[SPEAKER0] Ten eleven twelve thirteen fourteen fifteen"), tagged.get(2));
        assertEquals(6, tagged.get(2).words(), "the tag is not a word");
        assertEquals(new ScriptChunk("Bob", 1, "[SPEAKER1] Yes."), tagged.get(4));
    }
}
