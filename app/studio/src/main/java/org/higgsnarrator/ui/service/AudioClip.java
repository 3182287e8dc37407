package org.higgsnarrator.ui.service;

/**
 * Mono audio samples in [-1, 1].
 *
 * @param samples    [n] mono samples
 * @param sampleRate samples per second (24000 for everything the service returns)
 */
public record AudioClip(float[] samples, int sampleRate) {
    public static final int RATE = 24_000;

    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
