package org.higgsnarrator.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.text.Script;
import org.higgsnarrator.text.ScriptOptions;

/**
 * The engine's {@link ScriptSplitter}: {@link Script}'s syntax and chunking (see docs/text.md "Script syntax"), one
 * speaker turn per chunk (the release's {@code chunk_method speaker}) of at most {@code maxWords} words.
 *
 * <p>Speakers are {@code Name:} lines and {@code [SPEAKERn]} tags, each with its script slot. Untagged text is the
 * {@link Voice#NARRATOR}'s: in a script that also has speakers it gets the lowest free slot, so that the narration
 * keeps one tagged voice among the others (as a speaker of its own) instead of the model picking one per chunk.
 */
public final class ChapterSplitter implements ScriptSplitter {
    private static final ScriptOptions OPTIONS = ScriptOptions.defaults().withChunkMode(ScriptOptions.ChunkMode.TURN);

    @Override
    public List<ScriptChunk> split(String chapter, int maxWords) {
        Script script = Script.parse(chapter, OPTIONS);
        Map<Integer, String> nameOf = new HashMap<>();
        for (var e : script.cast().entrySet()) nameOf.putIfAbsent(e.getValue(), e.getKey());
        int narratorSlot = -1;
        if (!nameOf.isEmpty() && hasNarration(script)) {
            narratorSlot = 0;
            while (nameOf.containsKey(narratorSlot)) narratorSlot++;
        }
        List<ScriptChunk> out = new ArrayList<>();
        for (Script.Chunk c : script.chunks(OPTIONS.withMaxWords(maxWords).withNarratorSlot(narratorSlot))) {
            String speaker = c.speaker() < 0 || c.speaker() == narratorSlot ? Voice.NARRATOR : nameOf.get(c.speaker());
            out.add(new ScriptChunk(speaker, c.speaker(), c.text()));
        }
        return out;
    }

    private static boolean hasNarration(Script script) {
        for (Script.Chapter c : script.chapters()) {
            for (Script.Paragraph p : c.paragraphs()) {
                for (Script.Turn t : p.turns()) if (t.speaker() < 0) return true;
            }
        }
        return false;
    }
}
