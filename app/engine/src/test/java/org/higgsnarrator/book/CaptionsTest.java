package org.higgsnarrator.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CaptionsTest {
    /** Speech-like bursts: {@code seconds[i]} of tone, then {@code pause} of silence, at 24 kHz. */
    private static float[] bursts(double pause, double... seconds) {
        int rate = 24_000;
        double total = 0;
        for (double s : seconds) total += s + pause;
        float[] pcm = new float[(int) (total * rate)];
        int at = 0;
        for (double s : seconds) {
            for (int i = 0; i < (int) (s * rate); i++) pcm[at + i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / rate));
            at += (int) ((s + pause) * rate);
        }
        return pcm;
    }

    @Test
    void sentenceBoundariesLandInThePausesOfTheAudio() {
        List<String> s = Captions.sentences("It was late.  The lamp\nwas lit!   Was anyone there?", Locale.ROOT);
        assertEquals(List.of("It was late.", "The lamp was lit!", "Was anyone there?"), s);
        // Speech lengths that do not follow the character counts: the pauses (at 1.3 s and 2.05 s) decide.
        float[] pcm = bursts(0.3, 1.0, 0.45, 1.2);
        List<Captions.Cue> cues = Captions.time(s, pcm, 24_000, 10.0, 4);
        assertEquals(3, cues.size());
        assertEquals(10.0, cues.get(0).start(), 1e-9);
        assertTrue(cues.get(0).end() > 11.0 && cues.get(0).end() < 11.3, "first boundary in the first pause: " + cues.get(0).end());
        assertTrue(cues.get(1).end() > 11.75 && cues.get(1).end() < 12.05, "second boundary in the second pause: " + cues.get(1).end());
        assertEquals(10.0 + pcm.length / 24_000.0, cues.get(2).end(), 1e-9);
        for (int i = 1; i < 3; i++) assertEquals(cues.get(i - 1).end(), cues.get(i).start(), 1e-9);
        assertEquals(4, cues.get(2).paragraph());
    }

    @Test
    void srtAndVttFormats() {
        List<Captions.Cue> cues = List.of(new Captions.Cue(0, 1.5, "One.", 0), new Captions.Cue(3661.25, 3662.0, "Two --> three.", 1));
        assertEquals("1\n00:00:00,000 --> 00:00:01,500\nOne.\n\n2\n01:01:01,250 --> 01:01:02,000\nTwo --> three.\n\n", Captions.srt(cues));
        assertEquals("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nOne.\n\n01:01:01.250 --> 01:01:02.000\nTwo -> three.\n\n", Captions.vtt(cues));
    }

    @Test
    void sentenceSpansAreTheCaptionSentencesWithTheirPlaceInTheText() {
        String text = "  It was late.  The lamp\nwas lit!\n\n   Was anyone there? ";
        List<Captions.Sentence> spans = Captions.sentenceSpans(text, Locale.ROOT);
        assertEquals(Captions.sentences(text, Locale.ROOT), spans.stream().map(Captions.Sentence::text).toList());
        assertEquals(List.of("It was late.", "The lamp\nwas lit!", "Was anyone there?"),
                spans.stream().map(x -> text.substring(x.start(), x.end())).toList(), "offsets in the text as given");
        assertEquals(List.of(), Captions.sentenceSpans(" \n ", Locale.ROOT));
    }
}
