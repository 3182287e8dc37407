package org.higgsnarrator.engine;

import java.util.List;

/**
 * A finished job: the whole audio and what each chunk produced.
 *
 * @param pcm        mono samples in [-1, 1]
 * @param sampleRate samples per second
 * @param chunks     per chunk, in order
 */
public record SynthesisResult(float[] pcm, int sampleRate, List<ChunkResult> chunks) {
    public double seconds() {
        return (double) pcm.length / sampleRate;
    }
}
