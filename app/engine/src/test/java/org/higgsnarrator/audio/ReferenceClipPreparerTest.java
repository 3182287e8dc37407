package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference clips: converted to 24 kHz mono, trimmed only when asked, and warned about what hurts cloning. */
class ReferenceClipPreparerTest {
    @TempDir
    Path dir;

    final ReferenceClipPreparer preparer = new ReferenceClipPreparer();
    final ReferenceClipPreparer trimming = ReferenceClipPreparer.trimming(AudioOptions.DEFAULTS);

    private static boolean mentions(PreparedClip p, String word) {
        return p.warnings().stream().anyMatch(w -> w.contains(word));
    }

    @Test
    void stereo48kWithSilenceBecomesTrimmed24kMono() throws Exception {
        int r = 48_000;
        float[] voice = TestAudio.speechLike(6.0, r, 1);
        float[] left = TestAudio.concat(new float[r], voice, new float[2 * r]);          // 1 s before, 2 s after
        Path f = TestAudio.writeWav(dir.resolve("me.wav"), AudioClip.ofChannels(new float[][] {left, left.clone()}, r), 24);
        // By default nothing is trimmed: Boson's release encodes the whole clip (higgs_audio_tokenizer.py L237-250)
        PreparedClip whole = preparer.prepare(f);
        assertEquals(9.0, whole.clip().seconds(), 1e-3);
        assertEquals(0, whole.trimmedHeadSeconds());
        assertEquals(0, whole.trimmedTailSeconds());
        assertEquals(java.util.List.of(), whole.warnings(), "6 s of speech: no length warning though the clip is 9 s");

        PreparedClip p = trimming.prepare(f);
        assertEquals(24_000, p.clip().sampleRate());
        assertEquals(1, p.clip().channels());
        assertEquals(48_000, p.sourceSampleRate());
        assertEquals(2, p.sourceChannels());
        // 0.1 s of padding is kept; the test voice fades in from zero and its last syllable ends 0.125 s before 6 s
        assertEquals(0.92, p.trimmedHeadSeconds(), 0.03);
        assertEquals(2.025, p.trimmedTailSeconds(), 0.03);
        assertEquals(6.2 - 0.125, p.clip().seconds(), 0.06);
        assertEquals(java.util.List.of(), p.warnings());
        // the level is kept: mono of identical channels equals each channel
        assertEquals(LoudnessMeter.peakDb(new AudioClip(voice, r)), LoudnessMeter.peakDb(p.clip()), 0.2);
    }

    @Test
    void warnsAboutClippingNoiseQuietnessAndLength() {
        int r = 24_000;
        AudioClip clipped = new AudioClip(TestAudio.speechLike(5, r, 2), r).scaled(8);
        float[] s = clipped.samples();
        for (int i = 0; i < s.length; i++) s[i] = Math.max(-1, Math.min(1, s[i]));
        PreparedClip p = preparer.prepare(clipped, "loud.wav");
        assertTrue(mentions(p, "clipped"), p.warnings().toString());
        assertTrue(p.warnings().getFirst().contains("loud.wav"));

        float[] noisy = TestAudio.speechLike(5, r, 3);
        float[] hiss = TestAudio.noise(-40, 5, r, 9);
        for (int i = 0; i < noisy.length; i++) noisy[i] += hiss[i];
        assertTrue(mentions(preparer.prepare(new AudioClip(noisy, r), "n.wav"), "background noise"));

        assertTrue(mentions(preparer.prepare(new AudioClip(TestAudio.speechLike(5, r, 4), r).scaled(0.01), "q.wav"), "very quiet"));
        assertTrue(mentions(preparer.prepare(new AudioClip(TestAudio.speechLike(1.5, r, 5), r), "s.wav"), "only 1."));
        assertTrue(mentions(preparer.prepare(new AudioClip(TestAudio.speechLike(40, r, 6), r), "l.wav"), "longer clips"));
        // and a good clip gets none
        assertEquals(java.util.List.of(), preparer.prepare(new AudioClip(TestAudio.speechLike(8, r, 7), r), "ok.wav").warnings());
    }

    @Test
    void rejectsSilenceAndNonAudio() throws Exception {
        Path silent = TestAudio.writeWav(dir.resolve("silent.wav"), new AudioClip(new float[48_000], 24_000), 16);
        AudioFileException e = assertThrows(AudioFileException.class, () -> preparer.prepare(silent));
        assertTrue(e.getMessage().contains("silent.wav") && e.getMessage().contains("only silence"), e.getMessage());
        Path text = Files.writeString(dir.resolve("voice.mp3"), "hello");
        e = assertThrows(AudioFileException.class, () -> preparer.prepare(text));
        assertTrue(e.getMessage().contains("voice.mp3") && e.getMessage().contains("text"), e.getMessage());
    }

    /**
     * A clean voice trimmed tight (no silence at either end, only the short gaps between words) has no background
     * noise to warn about; the quietest half second of such a clip is speech, which the old check took for noise.
     */
    @Test
    void tightlyTrimmedCleanSpeechIsNotNoisy(@TempDir Path dir) throws Exception {
        TestAudio.assumeTool("espeak-ng");
        Path wav = dir.resolve("tight.wav");
        TestAudio.run("espeak-ng", "-w", wav.toString(), "Good evening. Tonight I will read you a story about a lighthouse keeper and his cat.");
        AudioClip clip = AudioReader.read(wav);
        int[] sound = LoudnessMeter.soundRange(clip, AudioOptions.DEFAULTS);
        AudioClip tight = clip.slice(sound[0], sound[1]);
        System.out.printf("tight clip: %.2f s, quietest 0.5 s %.1f dB, background between words %.1f dB%n", tight.seconds(),
                LoudnessMeter.noiseFloorDb(tight, AudioOptions.DEFAULTS), LoudnessMeter.backgroundDb(tight, AudioOptions.DEFAULTS));
        PreparedClip p = preparer.prepare(tight, "tight.wav");
        assertTrue(p.warnings().stream().noneMatch(w -> w.contains("background noise")), p.warnings().toString());
        // the same clip with hiss still gets the warning
        float[] noisy = tight.samples().clone();
        float[] hiss = TestAudio.noise(-40, tight.seconds(), tight.sampleRate(), 9);
        for (int i = 0; i < noisy.length; i++) noisy[i] += hiss[i];
        assertTrue(mentions(preparer.prepare(new AudioClip(noisy, tight.sampleRate()), "hiss.wav"), "background noise"));
    }

    /** A tenth of a second of sound is not a voice: rejected with the length, not accepted with a warning. */
    @Test
    void aTenthOfASecondIsNotAVoice(@TempDir Path dir) throws Exception {
        int r = 24_000;
        float[] blip = TestAudio.concat(new float[r / 2], TestAudio.faded(TestAudio.sine(200, 0.5, 0.1, r), 240), new float[r / 2]);
        Path f = TestAudio.writeWav(dir.resolve("blip.wav"), new AudioClip(blip, r), 16);
        AudioFileException e = assertThrows(AudioFileException.class, () -> preparer.prepare(f));
        assertTrue(e.getMessage().contains("blip.wav") && e.getMessage().contains("too little to be a voice"), e.getMessage());
    }

    /** A real voice: espeak-ng speech at 22.05 kHz, with added silence, through MP3 made by ffmpeg. */
    @Test
    void preparesRealSpeechFromEspeakThroughMp3() throws Exception {
        TestAudio.assumeTool("espeak-ng");
        TestAudio.assumeTool("ffmpeg");
        Path wav = dir.resolve("espeak.wav");
        TestAudio.run("espeak-ng", "-w", wav.toString(), "The quick brown fox jumps over the lazy dog, and then it runs into the forest to find its friends.");
        Path mp3 = dir.resolve("voice.mp3");
        TestAudio.run("ffmpeg", "-v", "error", "-nostdin", "-i", wav.toString(), "-af", "adelay=delays=700:all=1,apad=pad_dur=1.5", "-ar", "44100", "-ac", "2",
                "-c:a", "libmp3lame", "-b:a", "192k", mp3.toString());
        AudioClip src = AudioReader.read(wav);
        PreparedClip p = trimming.prepare(mp3);
        System.out.printf("espeak-ng clip: %.2f s source, prepared %.2f s, trimmed %.2f s head / %.2f s tail, warnings %s%n",
                src.seconds(), p.clip().seconds(), p.trimmedHeadSeconds(), p.trimmedTailSeconds(), p.warnings());
        assertEquals(24_000, p.clip().sampleRate());
        assertTrue(p.trimmedHeadSeconds() > 0.55, "leading silence removed");
        assertTrue(p.trimmedTailSeconds() > 1.3, "trailing silence removed");
        assertEquals(LoudnessMeter.soundRange(src, AudioOptions.DEFAULTS)[1] / (double) src.sampleRate()
                - LoudnessMeter.soundRange(src, AudioOptions.DEFAULTS)[0] / (double) src.sampleRate() + 0.2, p.clip().seconds(), 0.1);
        assertEquals(java.util.List.of(), p.warnings());
    }
}
