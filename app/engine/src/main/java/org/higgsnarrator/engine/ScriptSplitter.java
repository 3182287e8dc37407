package org.higgsnarrator.engine;

import java.util.List;

/**
 * Splits a chapter into generation chunks at speaker-turn, paragraph and sentence boundaries. The one
 * implementation, {@link ChapterSplitter}, is {@link org.higgsnarrator.text.Script}'s parsing and chunking.
 */
@FunctionalInterface
public interface ScriptSplitter {
    /**
     * @param maxWords the longest chunk in words (a single longer sentence is cut at word boundaries)
     * @return chunks in script order; every speaker keeps one slot throughout, and the chunk texts carry
     *         {@code [SPEAKERn] } tags exactly when more than one slot occurs
     */
    List<ScriptChunk> split(String chapter, int maxWords);
}
