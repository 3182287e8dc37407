package org.higgsnarrator.ui.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** 16-bit PCM WAV writing (the studio's take and voice files) and float ↔ 16-bit conversion. */
public final class Wav {
    private Wav() {}

    public static byte[] toPcm16(float[] samples) {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            int v = Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767f);
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    /** Writes mono 16-bit WAV atomically (temporary file beside the target, then a move). */
    public static void write(Path file, float[] samples, int sampleRate) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            AudioFormat fmt = new AudioFormat(sampleRate, 16, 1, true, false);
            byte[] pcm = toPcm16(samples);
            try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), fmt, samples.length)) {
                AudioSystem.write(in, AudioFileFormat.Type.WAVE, tmp.toFile());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
