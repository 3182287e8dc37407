package org.higgsnarrator.engine;

/**
 * The audio tokenizer's decoder as the engine uses it: shareable between jobs; each job opens one stream and pushes
 * every chunk's frames into it, so that the job's audio is the decode of all its codes concatenated, as the release
 * decodes them (boson-ai/higgs-audio examples/generation.py, HiggsAudioModelClient.generate: one
 * {@code audio_tokenizer.decode} of {@code torch.concat(audio_out_ids_l, dim=1)}). Implemented over the codec
 * package's streaming decoder.
 */
public interface WaveformDecoder extends AutoCloseable {
    /** Output sample rate (24000 in the release). */
    int sampleRate();

    /** Samples per codec frame (hop: 960 in the release, i.e. 25 frames per second). */
    int samplesPerFrame();

    /** A fresh decoding stream for a job's frames. */
    Stream open();

    /** Frames of look-ahead/look-back a stream needs: a resumed stream's tail must reach this far before its resume point. */
    default int contextFrames() {
        return 0;
    }

    /**
     * A stream continuing one that had returned the samples of {@code emittedFrames} frames (a resumed render).
     *
     * @param tail      frames [K][n] of the stream from {@code tailStart} to the last frame pushed; must start by
     *                  {@code emittedFrames − contextFrames()}
     */
    default Stream resume(int[][] tail, long tailStart, long emittedFrames) {
        throw new UnsupportedOperationException("this decoder cannot resume a stream");
    }

    @Override
    void close();

    /** One job's decoding state (convolution history). */
    interface Stream extends AutoCloseable {
        /** Frames whose samples have been returned so far. */
        long emittedFrames();

        /** Adds one frame of codes [K] (0…codebookSize−1); returns the samples that became final (possibly none). */
        float[] push(int[] frame);

        /** Ends the chunk; returns the remaining samples. */
        float[] finish();

        @Override
        void close();
    }
}
