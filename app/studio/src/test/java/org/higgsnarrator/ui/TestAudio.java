package org.higgsnarrator.ui;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Writes real WAV files for tests: a voiced-like signal (harmonics with a syllable envelope) between silences. */
public final class TestAudio {
    private TestAudio() {}

    /**
     * @param silenceS silence before and after the voiced part
     * @param voicedS  length of the voiced part
     */
    public static Path writeWav(Path file, int rate, int channels, double silenceS, double voicedS) throws IOException {
        int pad = (int) (silenceS * rate), voiced = (int) (voicedS * rate), n = 2 * pad + voiced;
        byte[] b = new byte[n * 2 * channels];
        for (int i = 0; i < n; i++) {
            double v = 0;
            if (i >= pad && i < pad + voiced) {
                double t = (i - pad) / (double) rate;
                double env = 0.5 - 0.5 * Math.cos(2 * Math.PI * 4 * t); // four "syllables" a second
                double f0 = 140 + 20 * Math.sin(2 * Math.PI * 0.7 * t);
                for (int h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * f0 * h * t) / h;
                v *= 0.25 * env;
            }
            short s = (short) Math.round(v * 32767);
            for (int c = 0; c < channels; c++) {
                b[(i * channels + c) * 2] = (byte) s;
                b[(i * channels + c) * 2 + 1] = (byte) (s >> 8);
            }
        }
        AudioFormat f = new AudioFormat(rate, 16, channels, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b), f, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }
}
