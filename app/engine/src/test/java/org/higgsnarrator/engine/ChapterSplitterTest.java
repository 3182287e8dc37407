package org.higgsnarrator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChapterSplitterTest {
    final ChapterSplitter splitter = new ChapterSplitter();

    @Test
    void speakerTurnsAndParagraphs() {
        String script = """
                It was late.   The rain
                kept falling.

                [Alice] Where were you?
                [Bob] Out.
                Just out.

                [laugh] Nobody believed him.
                """;
        assertEquals(List.of(
                new ScriptChunk(Voice.NARRATOR, "It was late. The rain kept falling."),
                new ScriptChunk("Alice", "Where were you?"),
                new ScriptChunk("Bob", "Out. Just out."),
                new ScriptChunk(Voice.NARRATOR, "[laugh] Nobody believed him.")), splitter.split(script, 200));
    }

    @Test
    void longParagraphsSplitAtSentencesWithinTheWordLimit() {
        String p = "One two three. Four five six seven. Eight nine. Ten eleven twelve thirteen fourteen fifteen sixteen.";
        List<ScriptChunk> chunks = splitter.split(p, 6);
        assertEquals(List.of("One two three.", "Four five six seven. Eight nine.", "Ten eleven twelve thirteen fourteen fifteen", "sixteen."),
                chunks.stream().map(ScriptChunk::text).toList());
        for (ScriptChunk c : chunks) assertTrue(c.words() <= 6);
    }
}
