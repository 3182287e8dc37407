package org.higgsnarrator.decode;

import java.util.List;

/**
 * What one generation produced.
 *
 * @param textStream    the prompt ids followed by one placeholder per step ({@code <|AUDIO_OUT|>}, the delay token,
 *                      {@code <|eot_id|>} on the last step of an EOS ending) — the reference's {@code sequences}
 * @param audioSequence the prompt's audio frames then the generated frames, each [K], delay pattern applied — the
 *                      reference's {@code audio_sequences}
 * @param promptFrames  how many leading entries of {@code audioSequence} came from the prompt
 * @param codes         the generated audio: delay reverted, BOS/EOS frames dropped, clipped to 0…codebookSize−1,
 *                      [K][F]; what the codec decodes
 * @param stop          why generation ended
 */
public record GenerationResult(long[] textStream, List<int[]> audioSequence, int promptFrames, int[][] codes, Stop stop) {
    public enum Stop {
        /** every codebook emitted stream EOS */
        END_OF_STREAM,
        /** the frame limit ({@link GenerationOptions#maxFrames}) was reached */
        FRAME_LIMIT
    }

    /** Generated steps (delayed frames), excluding the prompt's frames. */
    public int steps() {
        return audioSequence.size() - promptFrames;
    }

    /** Audio frames in {@link #codes} (25 per second in the release). */
    public int frames() {
        return codes.length == 0 ? 0 : codes[0].length;
    }
}
