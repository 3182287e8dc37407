package org.higgsnarrator.decode;

/**
 * A rendered prompt as the model consumes it.
 *
 * @param ids         token ids [T]; every {@code <|AUDIO_OUT|>}, {@code <|AUDIO|>} (audio input) and delay token is an
 *                    audio position
 * @param audioFrames codes of the audio positions in order, [F][K], delay pattern already applied (stream BOS/EOS
 *                    framing included); F equals the number of audio positions
 */
public record PromptTokens(long[] ids, int[][] audioFrames) {
    public PromptTokens {
        if (ids == null || ids.length == 0) throw new IllegalArgumentException("a prompt needs at least one token id");
        if (audioFrames == null) audioFrames = new int[0][];
    }

    /** Number of positions whose id is an audio placeholder ({@code <|AUDIO_OUT|>}, {@code <|AUDIO|>} or the delay token). */
    public int audioPositions(int audioOutToken, int audioInToken, int delayToken) {
        int n = 0;
        for (long id : ids) {
            if (id == audioOutToken || id == audioInToken || id == delayToken) n++;
        }
        return n;
    }
}
