package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./narrator master} and {@code ./narrator check}, called through {@link Main#run}. */
class AudioCommandsTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run narrator(String... argv) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(argv);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A quiet, raw "narration": 4 Hz syllables of a harmonic voice with pauses, no room tone, peaking near -20 dBFS. */
    private Path rawChapter(String name) throws Exception {
        int rate = 24_000;
        float[] s = new float[rate * 12];
        double phase = 0;
        for (int i = 0; i < s.length; i++) {
            double t = i / (double) rate;
            phase += 2 * Math.PI * (130 + 25 * Math.sin(2 * Math.PI * 0.5 * t)) / rate;
            double env = Math.pow(Math.max(0, Math.sin(2 * Math.PI * 4 * t)), 3);
            if (t % 4 > 3.5) env = 0;
            double v = 0;
            for (int h = 1; h <= 10; h++) v += Math.sin(h * phase) / h;
            s[i] = (float) (0.05 * env * v);
        }
        Path f = dir.resolve(name);
        new AudioExporter().export(new AudioClip(s, rate), f, AudioExporter.Format.WAV16);
        return f;
    }

    @Test
    void masterAcxWritesACompliantMp3() throws Exception {
        Path in = rawChapter("ch01.wav");
        Path out = dir.resolve("ch01.mp3");
        Run r = narrator("master", in.toString(), "--preset", "acx", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("ACX audiobook: PASS") && r.out().contains("RMS level"), r.out());
        assertTrue(Files.size(out) > 10_000);
        Run c = narrator("check", out.toString(), "--preset", "acx");
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("44100 Hz") && c.out().contains("integrated"), c.out());
    }

    @Test
    void masterPodcastToFlacAndCheckAsJson() throws Exception {
        Path in = rawChapter("ep.wav");
        Path out = dir.resolve("ep.flac");
        Run r = narrator("master", in.toString(), "--preset", "podcast", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Run c = narrator("check", out.toString(), in.toString(), "--preset", "podcast", "--json");
        assertEquals(1, c.code(), "the raw input fails the preset: " + c.out());
        JsonArray a = JsonParser.parseString(c.out()).getAsJsonArray();
        JsonObject mastered = a.get(0).getAsJsonObject(), raw = a.get(1).getAsJsonObject();
        assertEquals(-16.0, mastered.get("integratedLufs").getAsDouble(), 0.2);
        assertTrue(mastered.get("truePeakDbtp").getAsDouble() <= -1.0);
        assertTrue(mastered.get("passed").getAsBoolean());
        assertTrue(!raw.get("passed").getAsBoolean());
        assertEquals("Integrated loudness", raw.getAsJsonArray("checks").get(0).getAsJsonObject().get("name").getAsString());
    }

    @Test
    void checkWithoutPresetOnlyMeasures() throws Exception {
        Path in = rawChapter("raw.wav");
        Run c = narrator("check", in.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("true peak") && c.out().contains("noise floor") && !c.out().contains("PASS"), c.out());
        Run acx = narrator("check", in.toString(), "--preset", "acx");
        assertEquals(1, acx.code(), "raw narration has no room tone and is too quiet for ACX");
        assertTrue(acx.out().contains("FAIL RMS level") && acx.out().contains("FAIL Room tone at head"), acx.out());
    }

    @Test
    void badInputAndUsageErrorsAreClear() throws Exception {
        Path text = Files.writeString(dir.resolve("script.wav"), "Once upon a time");
        Run r = narrator("check", text.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("script.wav") && r.err().contains("not a recognised audio file"), r.err());

        Path in = rawChapter("a.wav");
        Run noPreset = narrator("master", in.toString(), "--out", dir.resolve("b.mp3").toString());
        assertEquals(2, noPreset.code());
        assertTrue(noPreset.err().contains("--preset") && noPreset.err().contains("Usage: ./narrator master"), noPreset.err());
        Run badPreset = narrator("check", in.toString(), "--preset", "radio");
        assertEquals(2, badPreset.code());
        assertTrue(badPreset.err().contains("unknown preset 'radio'"), badPreset.err());
        Run badExt = narrator("master", in.toString(), "--preset", "acx", "--out", dir.resolve("b.ogg").toString());
        assertEquals(2, badExt.code());
        assertTrue(badExt.err().contains(".wav, .flac, .mp3, .m4b or .m4a"), badExt.err());
        Run silent = narrator("master", writeSilence().toString(), "--preset", "podcast", "--out", dir.resolve("s.wav").toString());
        assertEquals(1, silent.code());
        assertTrue(silent.err().contains("silent"), silent.err());
        assertEquals(0, narrator("master", "--help").code());
        assertEquals(2, narrator("check").code());
    }

    /**
     * The issue's proof: a quiet home recording (real espeak-ng speech, 44.1 kHz stereo, with steady hiss) whose
     * background would sit at -50..-55 dB once gained to ACX's -20 dB RMS. Without the expander it failed the -60 dB
     * floor; with it, `master --preset acx` exits 0 and `check --preset acx` passes the written file.
     */
    @Test
    void acxMasterPassesAQuietNoisyRecording() throws Exception {
        assumeTrue(Tools.has("espeak-ng") && Tools.has("sox"), "espeak-ng and sox are needed (apt-get install -y espeak-ng sox)");
        Path speech = dir.resolve("speech.wav"), quiet = dir.resolve("quiet.wav"), hiss = dir.resolve("hiss.wav");
        Tools.run("espeak-ng", "-w", dir.resolve("espeak.wav").toString(), "It was the best of times, it was the worst of times. "
                + "It was the age of wisdom, it was the age of foolishness. It was the epoch of belief, it was the epoch of incredulity. "
                + "It was the season of Light, it was the season of Darkness.");
        // a quiet recording: 44.1 kHz stereo, speech at about -42 dB RMS, a second of room at each end
        Tools.run("sox", dir.resolve("espeak.wav").toString(), "-r", "44100", "-c", "2", speech.toString(), "vol", "0.08", "pad", "1", "1");
        AudioClip s = org.higgsnarrator.audio.AudioReader.read(speech);
        double gainDb = -20 - org.higgsnarrator.audio.LoudnessMeter.rmsDb(s);
        double hissDb = -52.5 - gainDb;            // the background lands at -52.5 dB after ACX's gain
        // sox's white noise is uniform in [-1, 1] (RMS -4.77 dB) times vol; -R makes it repeatable
        Tools.run("sox", "-R", "-n", "-r", "44100", "-c", "2", hiss.toString(), "synth", String.valueOf(s.seconds()), "whitenoise",
                "vol", String.valueOf(org.higgsnarrator.audio.LoudnessMeter.fromDb(hissDb + 4.77)));
        Tools.run("sox", "-m", "-v", "1", speech.toString(), "-v", "1", hiss.toString(), "-b", "16", quiet.toString());

        Path out = dir.resolve("out.wav");
        Run r = narrator("master", quiet.toString(), "--preset", "acx", "--out", out.toString());
        System.out.print(r.out());
        assertEquals(0, r.code(), r.out() + r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("between phrases \\((-?[0-9.]+) dB after gain\\)").matcher(r.out());
        assertTrue(m.find(), r.out());
        double before = Double.parseDouble(m.group(1));
        assertTrue(before >= -55 && before <= -50, "the test clip's background after gain should be -50..-55 dB, was " + before);
        assertTrue(r.out().contains("noise floor: programme"), r.out());
        Run c = narrator("check", out.toString(), "--preset", "acx");
        System.out.print(c.out());
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("ACX audiobook: PASS") && c.out().contains("Noise floor, programme"), c.out());

        // the podcast preset is unchanged: no expander
        Run p = narrator("master", quiet.toString(), "--preset", "podcast", "--out", dir.resolve("pod.wav").toString());
        assertTrue(!p.out().contains("expander"), p.out());
    }

    private Path writeSilence() throws Exception {
        Path f = dir.resolve("silence.wav");
        new AudioExporter().export(new AudioClip(new float[48_000], 24_000), f, AudioExporter.Format.WAV16);
        return f;
    }
}
