package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NarrateCommandTest {
    @TempDir
    Path dir;

    @Test
    void wavIsReadableByJavaSoundAndHoldsTheSamples() throws Exception {
        float[] pcm = new float[2400];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (float) Math.sin(2 * Math.PI * 440 * i / 24000.0) * 0.5f;
        pcm[7] = 3f; // clipped, not wrapped
        Path out = dir.resolve("out.wav");
        NarrateCommand.writeWav(out, pcm, 24000);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(out.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(24000f, f.getSampleRate());
            assertEquals(1, f.getChannels());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(pcm.length, in.getFrameLength());
            byte[] b = in.readAllBytes();
            for (int i = 0; i < pcm.length; i++) {
                short s = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
                assertEquals(Math.clamp(pcm[i], -1f, 1f), s / 32767f, 1.0 / 32767, "sample " + i);
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void voiceArgumentsAndTheirErrors() throws Exception {
        Path clip = Files.write(dir.resolve("alice.wav"), new byte[] {1});
        Files.writeString(dir.resolve("alice.txt"), " Hello there. \n");
        Path other = Files.writeString(dir.resolve("words.txt"), "Other words.");
        assertEquals(new NarrateCommand.VoiceArg("Alice", clip, "Hello there."), NarrateCommand.VoiceArg.parse("Alice=" + clip));
        assertEquals("Other words.", NarrateCommand.VoiceArg.parse("Alice=" + clip + ":" + other).transcript());
        var e = assertThrows(IllegalArgumentException.class, () -> NarrateCommand.VoiceArg.parse("Bob=" + dir.resolve("bob.wav")));
        assertTrue(e.getMessage().contains("bob.txt"), e.getMessage());
        assertThrows(Args.UsageException.class, () -> NarrateCommand.VoiceArg.parse("=x.wav"));
    }

    @Test
    void samplingOptionsFromTheCommandLine() {
        var a = Args.parse(new String[] {"--temperature", "0.3", "--seed", "42", "--top-k", "0"}, Main.FLAGS);
        GenerationOptions o = NarrateCommand.options(a);
        assertEquals(0.3, o.temperature());
        assertEquals(42, o.seed());
        assertEquals(0, o.topK());
        assertEquals(GenerationOptions.defaults().rasWindow(), o.rasWindow());
        GenerationOptions g = NarrateCommand.options(Args.parse(new String[] {"--greedy"}, Main.FLAGS));
        assertTrue(g.greedy());
        assertEquals(0, g.rasWindow(), "--greedy is the reference's greedy decoding");
        assertThrows(IllegalArgumentException.class, () -> NarrateCommand.options(Args.parse(new String[] {"--top-p", "0"}, Main.FLAGS)));
    }

    @Test
    void progressLine() {
        String l = NarrateCommand.ProgressBar.line(new Progress(2, 10, 500, 20.0, 10.0, 2.0, 30.0));
        assertTrue(l.contains("chunk 3/10") && l.contains("×2.00 real-time") && l.contains("ETA 0:30") && l.contains(" 25%"), l);
        assertTrue(NarrateCommand.ProgressBar.line(new Progress(0, 1, 1, 0.04, 1, 0.04, Double.NaN)).contains("ETA --:--"));
    }
}
