package org.higgsnarrator.engine;

import org.higgsnarrator.decode.GenerationResult;

/**
 * One generated chunk.
 *
 * @param chunk   its script text and speaker
 * @param codes   its audio codes [K][F] (delay reverted, clipped)
 * @param stop    why its generation ended (a frame-limit stop usually means the text was too long or the model
 *                did not find an end)
 * @param samples how many samples of the job's audio it produced
 */
public record ChunkResult(ScriptChunk chunk, int[][] codes, GenerationResult.Stop stop, long samples) {}
