package org.higgsnarrator.engine;

import org.higgsnarrator.audio.AudioClip;

/**
 * The codec's encoder as the engine uses it: a prepared reference clip (mono at the codec's rate, silence trimmed:
 * {@link Narrator#encodeReference} prepares it) → codec codes for voice cloning.
 */
@FunctionalInterface
public interface ReferenceEncoder {
    /** @return codes [K][F] of the whole clip */
    int[][] encode(AudioClip prepared);
}
