package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The streaming meter ({@link LoudnessMeter.Stream}) gives the whole-clip {@link LoudnessMeter#measure} numbers
 * (within 1e-9) from the same audio fed in odd-sized pieces: speech-like sound with room tone at head and tail,
 * silence, noise, full-scale samples at the very end (the true peak's last window), mono and stereo, several rates.
 */
class LoudnessStreamTest {
    static AudioClip programme(int rate, int channels, double seconds) {
        AudioClip m = AudioExporterTest.material(rate, channels, seconds);
        float[] s = m.samples().clone();
        SplittableRandom r = new SplittableRandom(5);
        // room tone: quiet noise in the first and last second, under the sound detector's threshold
        int c = channels;
        for (int i = 0; i < Math.min(s.length, rate * c); i++) s[i] = (float) (0.0005 * (2 * r.nextDouble() - 1));
        for (int i = Math.max(0, s.length - rate * c); i < s.length - 2 * c; i++) s[i] = (float) (0.0005 * (2 * r.nextDouble() - 1));
        return new AudioClip(s, rate, channels);
    }

    @ParameterizedTest(name = "{0} Hz, {1} ch, {2} s, pieces of {3}")
    @CsvSource({"24000, 1, 13.37, 777", "24000, 1, 0.25, 1", "44100, 2, 9.1, 4099", "48000, 2, 2.6, 1000003", "22050, 1, 7.77, 13"})
    void streamingEqualsTheWholeClip(int rate, int channels, double seconds, int piece) {
        AudioClip clip = programme(rate, channels, seconds);
        Loudness whole = LoudnessMeter.measure(clip, AudioOptions.DEFAULTS);
        LoudnessMeter.Stream st = new LoudnessMeter.Stream(rate, channels, AudioOptions.DEFAULTS);
        float[] s = clip.samples();
        float[] scratch = new float[Math.min(piece + 2, s.length) + 3];
        for (int at = 0, k = 0; at < s.length; k++) {
            int n = Math.min(s.length - at, piece + (k % 3)); // pieces of varying, odd sizes, cutting frames apart
            System.arraycopy(s, at, scratch, 3, n);
            st.accept(scratch, 3, n);
            at += n;
        }
        Loudness got = st.result();
        assertEquals(clip.frames(), st.frames());
        same("rms", whole.rmsDb(), got.rmsDb());
        same("sample peak", whole.peakDb(), got.peakDb());
        same("true peak", whole.truePeakDb(), got.truePeakDb());
        same("integrated", whole.integratedLufs(), got.integratedLufs());
        same("noise floor", whole.noiseFloorDb(), got.noiseFloorDb());
        same("programme noise", whole.programmeNoiseDb(), got.programmeNoiseDb());
        same("room tone", whole.roomToneNoiseDb(), got.roomToneNoiseDb());
        same("head silence", whole.headSilenceSeconds(), got.headSilenceSeconds());
        same("tail silence", whole.tailSilenceSeconds(), got.tailSilenceSeconds());
        same("seconds", whole.seconds(), got.seconds());
        same("loudness range", LoudnessMeter.loudnessRangeLu(clip), st.loudnessRangeLu());
        if (seconds > 1) assertTrue(Double.isFinite(got.integratedLufs()) && Double.isFinite(got.roomToneNoiseDb()), "a real measurement: " + got);
    }

    private static void same(String what, double want, double got) {
        if (Double.isNaN(want) || Double.isInfinite(want)) assertEquals(want, got, what);
        else assertEquals(want, got, 1e-9, what);
    }

    /** EBU Tech 3342 test cases 1 and 2 (stereo 1 kHz, 20 s at each level): LRA 10 and 5 LU (±1). */
    @Test
    void loudnessRangeOfTheEbuCases() {
        assertEquals(10, LoudnessMeter.loudnessRangeLu(LoudnessMeterTest.stereoSegments(48_000, new double[][] {{-20, 20}, {-30, 20}})), 1);
        assertEquals(5, LoudnessMeter.loudnessRangeLu(LoudnessMeterTest.stereoSegments(48_000, new double[][] {{-20, 20}, {-15, 20}})), 1);
        assertEquals(0, LoudnessMeter.loudnessRangeLu(new AudioClip(new float[48_000 * 5], 48_000)), 0);
    }
}
