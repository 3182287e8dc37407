package org.higgsnarrator.engine;

import java.nio.file.Path;

/**
 * Turns a reference recording into codec codes for voice cloning: reads the file (wav/flac/mp3), mixes to mono,
 * resamples to the codec's rate and encodes. Implemented over the audio and codec packages.
 */
@FunctionalInterface
public interface ReferenceEncoder {
    /** @return codes [K][F] of the whole clip */
    int[][] encode(Path clip);
}
