package org.higgsnarrator.text;

/**
 * A tokenized prompt, ready for the model's prefill.
 *
 * @param ids         token ids [T]; every {@code <|AUDIO_OUT|>}, {@code <|AUDIO|>} (audio input) and delay-token position is
 *                    an audio position
 * @param audioFrames codes fed at the audio positions, [F][K] in position order (F = number of audio positions),
 *                    stream BOS/EOS and delay pattern applied — the reference's {@code audio_input_ids[0]}. The
 *                    reference's {@code audio_input_ids_mask} only marks batch padding; a single prompt has none,
 *                    so every frame here is valid.
 * @param rendered    the chat-template text before audio expansion (one {@code <|AUDIO_OUT|>} or {@code <|AUDIO|>} per clip), for
 *                    debugging and for comparing with the reference's {@code rendered}
 */
public record Prompt(long[] ids, int[][] audioFrames, String rendered) {
    public int length() {
        return ids.length;
    }

    public int audioPositions() {
        return audioFrames.length;
    }
}
