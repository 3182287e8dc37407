package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loudness per ITU-R BS.1770-4 / EBU Tech 3341 cases, and agreement with ffmpeg's ebur128 filter. */
class LoudnessMeterTest {
    static final int RATE = 48_000;

    /** Stereo 1 kHz sine with segments of the given dBFS levels and durations, as the EBU Tech 3341 test signals. */
    static AudioClip stereoSegments(int rate, double[][] levelAndSeconds) {
        float[][] parts = new float[levelAndSeconds.length][];
        for (int i = 0; i < parts.length; i++)
            parts[i] = TestAudio.sine(1000, LoudnessMeter.fromDb(levelAndSeconds[i][0]), levelAndSeconds[i][1], rate);
        float[] m = TestAudio.concat(parts);
        return AudioClip.ofChannels(new float[][] {m, m.clone()}, rate);
    }

    @Test
    void ebuTech3341Case1And2() {
        // case 1: stereo 1 kHz at -23 dBFS reads -23.0 LUFS; case 2: at -33 dBFS reads -33.0 LUFS (±0.1)
        assertEquals(-23.0, LoudnessMeter.integratedLufs(stereoSegments(RATE, new double[][] {{-23, 20}})), 0.1);
        assertEquals(-33.0, LoudnessMeter.integratedLufs(stereoSegments(RATE, new double[][] {{-33, 20}})), 0.1);
    }

    @Test
    void ebuTech3341GatingCases() {
        // case 3: relative gate removes the -36 dBFS parts; case 4: absolute gate removes -72, relative the -36
        assertEquals(-23.0, LoudnessMeter.integratedLufs(stereoSegments(RATE, new double[][] {{-36, 10}, {-23, 60}, {-36, 10}})), 0.1);
        assertEquals(-23.0, LoudnessMeter.integratedLufs(stereoSegments(RATE,
                new double[][] {{-72, 10}, {-36, 10}, {-23, 60}, {-36, 10}, {-72, 10}})), 0.1);
    }

    @Test
    void monoCountsOneChannelAndWorksAtAnyRate() {
        for (int rate : new int[] {16_000, 24_000, 44_100, 48_000}) {
            AudioClip mono = new AudioClip(TestAudio.sine(1000, LoudnessMeter.fromDb(-23), 10, rate), rate);
            assertEquals(-26.01, LoudnessMeter.integratedLufs(mono), 0.1, "at " + rate + " Hz");
        }
    }

    @Test
    void silenceAndShortClipsHaveNoLoudness() {
        assertEquals(Double.NEGATIVE_INFINITY, LoudnessMeter.integratedLufs(new AudioClip(new float[RATE * 2], RATE)));
        assertEquals(Double.NEGATIVE_INFINITY, LoudnessMeter.integratedLufs(new AudioClip(TestAudio.sine(1000, 0.5, 0.3, RATE), RATE)));
    }

    @Test
    void truePeakFindsPeaksBetweenSamples() {
        // a sine at fs/4 sampled 45° off its crest: every sample is at 0.707 of the true amplitude (-3 dB)
        // (faded in and out: an abrupt start would ring, and that overshoot is a real true peak)
        AudioClip c = new AudioClip(TestAudio.faded(TestAudio.sine(RATE / 4.0, 0.5, Math.PI / 4, 1.0, RATE), RATE / 10), RATE);
        assertEquals(LoudnessMeter.toDb(0.5 * Math.sqrt(0.5)), LoudnessMeter.peakDb(c), 0.01);
        assertEquals(LoudnessMeter.toDb(0.5), LoudnessMeter.truePeakDb(c, AudioOptions.DEFAULTS), 0.05);
        // and never reads below the sample peak
        AudioClip s = new AudioClip(TestAudio.speechLike(3, 24_000, 1), 24_000);
        assertTrue(LoudnessMeter.truePeakDb(s, AudioOptions.DEFAULTS) >= LoudnessMeter.peakDb(s));
    }

    @Test
    void rmsPeakAndNoiseFloor() {
        int r = 24_000;
        float[] x = TestAudio.concat(TestAudio.noise(-70, 1.0, r, 1), TestAudio.sine(440, 0.5, 3.0, r), TestAudio.noise(-70, 1.0, r, 2));
        AudioClip c = new AudioClip(x, r);
        Loudness l = LoudnessMeter.measure(c);
        assertEquals(-70, l.noiseFloorDb(), 0.5);
        assertEquals(LoudnessMeter.toDb(0.5), l.peakDb(), 0.01);
        assertEquals(10 * Math.log10(0.125 * 3 / 5), l.rmsDb(), 0.05);   // sine power 0.125 over 3 of 5 s
        assertEquals(1.0, l.headSilenceSeconds(), 0.02);
        assertEquals(1.0, l.tailSilenceSeconds(), 0.02);
        assertEquals(5.0, l.seconds(), 1e-9);
    }

    /** Our integrated loudness and true peak against ffmpeg's ebur128 filter on speech-like, noise and speech audio. */
    @Test
    void agreesWithFfmpegEbur128(@TempDir Path dir) throws Exception {
        TestAudio.assumeTool("ffmpeg");
        AudioClip[] clips = {
                new AudioClip(TestAudio.speechLike(12, 24_000, 7), 24_000),
                new AudioClip(TestAudio.concat(TestAudio.noise(-30, 4, 44_100, 3), TestAudio.noise(-50, 4, 44_100, 4)), 44_100),
                stereoSegments(48_000, new double[][] {{-40, 3}, {-18, 5}, {-30, 4}}),
                new AudioClip(TestAudio.speechLike(8, 48_000, 9), 48_000).scaled(2.5),
        };
        for (int i = 0; i < clips.length; i++) {
            Path f = TestAudio.writeWav(dir.resolve("c" + i + ".wav"), clips[i], 32);
            double[] ff = TestAudio.ffmpegEbur128(f);
            double ours = LoudnessMeter.integratedLufs(clips[i]);
            double tp = LoudnessMeter.truePeakDb(clips[i], AudioOptions.DEFAULTS);
            System.out.printf("clip %d (%d Hz, %d ch): integrated ours %.2f ffmpeg %.2f LUFS; true peak ours %.2f ffmpeg %.2f dBTP%n",
                    i, clips[i].sampleRate(), clips[i].channels(), ours, ff[0], tp, ff[1]);
            assertEquals(ff[0], ours, 0.1, "integrated loudness of clip " + i);
            assertEquals(ff[1], tp, 0.3, "true peak of clip " + i);
        }
    }

    @Test
    void agreesWithFfmpegOnRealSpeech(@TempDir Path dir) throws Exception {
        TestAudio.assumeTool("ffmpeg");
        TestAudio.assumeTool("espeak-ng");
        Path wav = dir.resolve("speech.wav");
        TestAudio.run("espeak-ng", "-w", wav.toString(), "It was the best of times, it was the worst of times, it was the age of wisdom.");
        AudioClip c = AudioReader.read(wav);
        double[] ff = TestAudio.ffmpegEbur128(wav);
        double ours = LoudnessMeter.integratedLufs(c);
        System.out.printf("espeak-ng speech (%d Hz): integrated ours %.2f ffmpeg %.2f LUFS; true peak ours %.2f ffmpeg %.2f%n",
                c.sampleRate(), ours, ff[0], LoudnessMeter.truePeakDb(c, AudioOptions.DEFAULTS), ff[1]);
        assertEquals(ff[0], ours, 0.1);
        assertEquals(ff[1], LoudnessMeter.truePeakDb(c, AudioOptions.DEFAULTS), 0.3);
    }
}
