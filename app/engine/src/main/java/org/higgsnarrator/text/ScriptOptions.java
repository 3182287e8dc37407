package org.higgsnarrator.text;

import java.util.Map;

/**
 * Every tunable of script parsing and chunking, with the official example's defaults where it has one.
 *
 * @param chunkMode    {@link ChunkMode#TURN}: one speaker turn per chunk (official {@code chunk_method speaker});
 *                     {@link ChunkMode#PARAGRAPH}: one paragraph per chunk, several speakers' turns allowed
 *                     (official {@code chunk_method word})
 * @param maxWords     longest chunk in words (official {@code chunk_max_word_num} 200); longer turns/paragraphs are
 *                     cut at sentence ends, a longer sentence at word boundaries. A CJK character counts as a word.
 * @param cast         speaker names → slots (0 = SPEAKER0) for {@code Name:} lines; names not in it get the lowest
 *                     free slots in order of first appearance
 * @param detectNames  whether {@code Name: text} at the start of a line is a speaker line; off for prose that has
 *                     lines like "Note: …"
 * @param narratorSlot slot for untagged text in a script that has speakers; -1 = no tag (the model picks a voice)
 */
public record ScriptOptions(ChunkMode chunkMode, int maxWords, Map<String, Integer> cast, boolean detectNames, int narratorSlot) {
    public enum ChunkMode { TURN, PARAGRAPH }

    public ScriptOptions {
        if (maxWords < 1) throw new IllegalArgumentException("maxWords must be at least 1, got " + maxWords);
        cast = Map.copyOf(cast);
        for (var e : cast.entrySet()) {
            if (e.getValue() < 0) throw new IllegalArgumentException("cast: speaker '" + e.getKey() + "' has a negative slot " + e.getValue());
        }
    }

    public static ScriptOptions defaults() {
        return new ScriptOptions(ChunkMode.TURN, 200, Map.of(), true, -1);
    }

    public ScriptOptions withChunkMode(ChunkMode m) {
        return new ScriptOptions(m, maxWords, cast, detectNames, narratorSlot);
    }

    public ScriptOptions withMaxWords(int n) {
        return new ScriptOptions(chunkMode, n, cast, detectNames, narratorSlot);
    }

    public ScriptOptions withCast(Map<String, Integer> c) {
        return new ScriptOptions(chunkMode, maxWords, c, detectNames, narratorSlot);
    }

    public ScriptOptions withDetectNames(boolean d) {
        return new ScriptOptions(chunkMode, maxWords, cast, d, narratorSlot);
    }

    public ScriptOptions withNarratorSlot(int s) {
        return new ScriptOptions(chunkMode, maxWords, cast, detectNames, s);
    }
}
