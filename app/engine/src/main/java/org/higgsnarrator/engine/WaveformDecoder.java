package org.higgsnarrator.engine;

/**
 * The audio tokenizer's decoder as the engine uses it: shareable between jobs; each chunk opens its own stream.
 * Implemented over the codec package's streaming decoder.
 */
public interface WaveformDecoder extends AutoCloseable {
    /** Output sample rate (24000 in the release). */
    int sampleRate();

    /** Samples per codec frame (hop: 960 in the release, i.e. 25 frames per second). */
    int samplesPerFrame();

    /** A fresh decoding stream for one chunk of frames. */
    Stream open();

    @Override
    void close();

    /** One chunk's decoding state (convolution history). */
    interface Stream extends AutoCloseable {
        /** Adds one frame of codes [K] (0…codebookSize−1); returns the samples that became final (possibly none). */
        float[] push(int[] frame);

        /** Ends the chunk; returns the remaining samples. */
        float[] finish();

        @Override
        void close();
    }
}
