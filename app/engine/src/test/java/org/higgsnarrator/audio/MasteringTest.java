package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Limiter, mastering to the ACX and podcast presets, and the compliance report. */
class MasteringTest {
    static final int RATE = 24_000;
    static final AudioOptions O = AudioOptions.DEFAULTS;

    @Test
    void limiterHoldsTheCeilingAndLeavesQuietAudioAlone() {
        AudioClip loud = new AudioClip(TestAudio.speechLike(6, RATE, 1), RATE).scaled(6);   // peaks far above full scale
        AudioClip limited = Limiter.limit(loud, -1.0, O);
        double tp = LoudnessMeter.truePeakDb(limited, O);
        System.out.printf("limiter: input true peak %.2f dBTP -> %.2f dBTP (ceiling -1.0)%n", LoudnessMeter.truePeakDb(loud, O), tp);
        assertTrue(tp <= -1.0 + 0.05, "true peak " + tp);
        // below the ceiling the limiter must not touch anything
        AudioClip quiet = new AudioClip(TestAudio.speechLike(3, RATE, 2), RATE).scaled(0.1);
        assertSame(quiet, Limiter.limit(quiet, -1.0, O));
        // and it only turns down: no sample grows
        for (int i = 0; i < loud.samples().length; i++) assertTrue(Math.abs(limited.samples()[i]) <= Math.abs(loud.samples()[i]) + 1e-6);
    }

    @Test
    void slidingMinAndBoxAverage() {
        double[] x = {5, 3, 4, 1, 6, 7, 2, 8};
        assertEquals(java.util.List.of(3.0, 3.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0),
                java.util.Arrays.stream(Limiter.slidingMin(x, 1)).boxed().toList());
        assertEquals(java.util.List.of(4.0, 4.0, 8 / 3.0, 11 / 3.0, 14 / 3.0, 5.0, 17 / 3.0, 5.0),
                java.util.Arrays.stream(Limiter.boxAverage(x, 1)).boxed().toList());
    }

    @ParameterizedTest(name = "ACX mastering from a chapter peaking at {0} dBFS")
    @ValueSource(doubles = {-30, -12, -1})
    void acxMasteringPasses(double inputPeakDb) {
        float[] voice = new AudioClip(TestAudio.speechLike(20, RATE, 3), RATE).samples();
        AudioClip raw = new AudioClip(TestAudio.concat(new float[RATE / 10], voice, new float[RATE / 20]), RATE);
        raw = raw.scaled(LoudnessMeter.fromDb(inputPeakDb - LoudnessMeter.peakDb(raw)));
        Mastering.Result m = Mastering.master(raw, MasteringPreset.ACX, "chapter-01");
        System.out.print(m.report().format());
        assertTrue(m.report().passed(), m.report().format());
        Loudness l = m.report().loudness();
        assertEquals(-20.0, l.rmsDb(), 0.15, "RMS on target");
        assertTrue(l.peakDb() <= -3.0);
        assertEquals(O.roomToneHeadSeconds(), l.headSilenceSeconds(), 0.05);
        assertEquals(O.roomToneTailSeconds(), l.tailSilenceSeconds(), 0.05);
        assertTrue(l.noiseFloorDb() <= O.roomToneDb() + 1, "room tone (or a digital-silence pause) is the quietest part");
        assertEquals(RATE, m.audio().sampleRate());
    }

    @ParameterizedTest(name = "podcast mastering from a chapter peaking at {0} dBFS")
    @ValueSource(doubles = {-35, -6, 0})
    void podcastMasteringPasses(double inputPeakDb) {
        AudioClip raw = new AudioClip(TestAudio.speechLike(15, 48_000, 4), 48_000);
        raw = raw.scaled(LoudnessMeter.fromDb(inputPeakDb - LoudnessMeter.peakDb(raw)));
        Mastering.Result m = Mastering.master(raw, MasteringPreset.PODCAST, "episode");
        System.out.print(m.report().format());
        assertTrue(m.report().passed(), m.report().format());
        assertEquals(-16.0, m.report().loudness().integratedLufs(), 0.15);
        assertTrue(m.report().loudness().truePeakDb() <= -1.0);
    }

    @Test
    void stereoIsLimitedLinked() {
        float[] l = TestAudio.speechLike(8, 44_100, 5), r = TestAudio.speechLike(8, 44_100, 6);
        for (int i = 0; i < r.length; i++) r[i] *= 0.3f;
        Mastering.Result m = Mastering.master(AudioClip.ofChannels(new float[][] {l, r}, 44_100), MasteringPreset.PODCAST, "stereo");
        assertTrue(m.report().passed(), m.report().format());
        assertEquals(2, m.audio().channels());
    }

    @Test
    void reportShowsFailuresOfAnUnmasteredFile() {
        // raw TTS-like output: no room tone, too quiet for ACX, peaks fine
        AudioClip raw = new AudioClip(TestAudio.speechLike(10, RATE, 8), RATE).scaled(0.2);
        ComplianceReport r = MasteringPreset.ACX.check("raw.wav", raw, O);
        assertFalse(r.passed());
        java.util.Set<String> failed = new java.util.HashSet<>();
        r.failures().forEach(c -> failed.add(c.name()));
        assertTrue(failed.contains("RMS level") && failed.contains("Room tone at head"), failed.toString());
        assertFalse(failed.contains("Peak level"));
        String text = r.format();
        assertTrue(text.contains("FAIL") && text.contains("RMS level") && text.contains("-23.00 .. -18.00 dB"), text);
    }

    @Test
    void noisyRecordingFailsNoiseFloorWithAdvice() {
        float[] v = TestAudio.concat(TestAudio.noise(-45, 1, RATE, 1), TestAudio.speechLike(10, RATE, 9), TestAudio.noise(-45, 1, RATE, 2));
        float[] hiss = TestAudio.noise(-45, v.length / (double) RATE, RATE, 3);
        for (int i = 0; i < v.length; i++) v[i] += hiss[i];
        Mastering.Result m = Mastering.master(new AudioClip(v, RATE), MasteringPreset.ACX, "noisy");
        assertFalse(m.report().passed());
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("Noise floor") && n.contains("denoise")), m.notes().toString());
    }

    /** The mastered podcast file measured by ffmpeg: same integrated loudness and true peak as the report says. */
    @Test
    void ffmpegConfirmsThePodcastMaster(@TempDir Path dir) throws Exception {
        TestAudio.assumeTool("ffmpeg");
        Mastering.Result m = Mastering.master(new AudioClip(TestAudio.speechLike(12, 48_000, 10), 48_000).scaled(0.05), MasteringPreset.PODCAST, "ep");
        Path f = TestAudio.writeWav(dir.resolve("ep.wav"), m.audio(), 32);
        double[] ff = TestAudio.ffmpegEbur128(f);
        System.out.printf("podcast master: ours I=%.2f TP=%.2f, ffmpeg I=%.2f TP=%.2f%n", m.report().loudness().integratedLufs(),
                m.report().loudness().truePeakDb(), ff[0], ff[1]);
        assertEquals(-16.0, ff[0], 0.2);
        assertTrue(ff[1] <= -1.0, "ffmpeg true peak " + ff[1]);
    }

    /** ACX delivers MP3: after encoding, the peak must still be under -3 dBFS. */
    @Test
    void acxMasterSurvivesMp3Encoding(@TempDir Path dir) throws Exception {
        AudioClip raw = new AudioClip(TestAudio.speechLike(10, RATE, 12), RATE).scaled(3);
        Mastering.Result m = Mastering.master(raw, MasteringPreset.ACX, "ch");
        Path mp3 = dir.resolve("ch.mp3");
        new AudioExporter().export(m.audio(), mp3, AudioExporter.Format.MP3);
        AudioClip back = AudioReader.read(mp3);
        ComplianceReport r = MasteringPreset.ACX.check("ch.mp3", back, O);
        System.out.print(r.format());
        assertTrue(LoudnessMeter.peakDb(back) <= -3.0, r.format());
        assertEquals(-20.0, LoudnessMeter.rmsDb(back), 0.5);   // MP3 decoders add ~50 ms of delay and LAME shifts the level a little
    }
}
