package org.higgsnarrator.audio;

/**
 * Decoded audio: float samples in [-1, 1], interleaved when {@code channels > 1}.
 *
 * <p>The engine's own audio (codec output, prepared reference clips) is mono 24 kHz; more channels only occur for
 * files read from disk, which mastering keeps as they are.
 *
 * @param samples    interleaved samples, {@code frames() * channels} long
 * @param sampleRate frames per second
 * @param channels   1 (mono), 2 (stereo), …
 */
public record AudioClip(float[] samples, int sampleRate, int channels) {
    public AudioClip {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        if (channels <= 0) throw new IllegalArgumentException("channel count must be positive, got " + channels);
        if (samples.length % channels != 0)
            throw new IllegalArgumentException(samples.length + " samples is not a whole number of " + channels + "-channel frames");
    }

    /** A mono clip. */
    public AudioClip(float[] samples, int sampleRate) {
        this(samples, sampleRate, 1);
    }

    /** Interleaves planar channels {@code [channel][frame]}. */
    public static AudioClip ofChannels(float[][] planar, int sampleRate) {
        int c = planar.length, n = planar[0].length;
        float[] s = new float[n * c];
        for (int ch = 0; ch < c; ch++) {
            if (planar[ch].length != n) throw new IllegalArgumentException("channels differ in length");
            for (int i = 0; i < n; i++) s[i * c + ch] = planar[ch][i];
        }
        return new AudioClip(s, sampleRate, c);
    }

    public int frames() {
        return samples.length / channels;
    }

    public double seconds() {
        return frames() / (double) sampleRate;
    }

    /** One channel as its own array (a copy, or the samples themselves for mono). */
    public float[] channel(int ch) {
        if (channels == 1) return samples;
        float[] out = new float[frames()];
        for (int i = 0; i < out.length; i++) out[i] = samples[i * channels + ch];
        return out;
    }

    /** {@code [channel][frame]}. */
    public float[][] planar() {
        float[][] p = new float[channels][];
        for (int ch = 0; ch < channels; ch++) p[ch] = channel(ch);
        return p;
    }

    /** The average of all channels; this clip itself when already mono. */
    public AudioClip toMono() {
        if (channels == 1) return this;
        float[] m = new float[frames()];
        for (int i = 0; i < m.length; i++) {
            double sum = 0;
            for (int ch = 0; ch < channels; ch++) sum += samples[i * channels + ch];
            m[i] = (float) (sum / channels);
        }
        return new AudioClip(m, sampleRate);
    }

    /** Frames {@code [from, to)}. */
    public AudioClip slice(int from, int to) {
        return new AudioClip(java.util.Arrays.copyOfRange(samples, from * channels, to * channels), sampleRate, channels);
    }

    /** This clip with every sample multiplied by {@code factor}. */
    public AudioClip scaled(double factor) {
        float[] s = new float[samples.length];
        for (int i = 0; i < s.length; i++) s[i] = (float) (samples[i] * factor);
        return new AudioClip(s, sampleRate, channels);
    }

    @Override
    public String toString() {
        return String.format("AudioClip[%d Hz, %d ch, %.3f s]", sampleRate, channels, seconds());
    }
}
