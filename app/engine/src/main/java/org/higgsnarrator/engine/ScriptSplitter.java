package org.higgsnarrator.engine;

import java.util.List;

/** Splits a chapter into generation chunks at speaker-turn, paragraph and sentence boundaries. */
@FunctionalInterface
public interface ScriptSplitter {
    /** @param maxWords the longest chunk in words (a single longer sentence is cut at word boundaries) */
    List<ScriptChunk> split(String chapter, int maxWords);
}
