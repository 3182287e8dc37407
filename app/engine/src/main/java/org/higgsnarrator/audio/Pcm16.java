package org.higgsnarrator.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * 16-bit little-endian PCM and WAV in memory, with the same rounding as the WAV files {@link AudioExporter} writes
 * (so PCM streamed by {@code narrator serve} is byte for byte the data of its WAV answer, and a WAV read back with
 * {@link AudioReader} and written again is unchanged).
 */
public final class Pcm16 {
    private Pcm16() {}

    /** Samples in [-1, 1] (clamped) → signed 16-bit little-endian bytes. */
    public static byte[] encode(float[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : samples) b.putShort((short) WavCodec.quantize(v, 16));
        return b.array();
    }

    /** Signed 16-bit little-endian bytes → samples (an odd trailing byte is ignored). */
    public static float[] decode(byte[] pcm) {
        ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        float[] s = new float[pcm.length / 2];
        for (int i = 0; i < s.length; i++) s[i] = b.getShort(2 * i) / 32768f;
        return s;
    }

    /** A complete 16-bit WAV file. */
    public static byte[] wav(AudioClip clip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + clip.samples().length * 2);
        try {
            WavCodec.write(clip, 16, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads WAV bytes (any encoding {@link AudioReader} reads).
     *
     * @param source names the bytes in error messages
     */
    public static AudioClip readWav(byte[] bytes, String source) throws AudioFileException {
        return WavCodec.read(Path.of(source.replaceAll("[^A-Za-z0-9._-]", "_")), bytes);
    }
}
