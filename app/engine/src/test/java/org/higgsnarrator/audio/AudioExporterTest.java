package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.higgsnarrator.audio.AudioExporter.Chapter;
import org.higgsnarrator.audio.AudioExporter.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every export format, checked by decoding with an independent decoder (jFLAC, flac, ffmpeg, frame parsing). */
class AudioExporterTest {
    @TempDir
    Path dir;

    /** Stereo or mono test material with silence (CONSTANT subframes), speech-like sound and full-scale noise (VERBATIM). */
    static AudioClip material(int rate, int channels, double seconds) {
        float[][] p = new float[channels][];
        for (int c = 0; c < channels; c++) {
            float[] s = TestAudio.speechLike(seconds, rate, 11 + c);
            SplittableRandom r = new SplittableRandom(c);
            int n = s.length;
            for (int i = 0; i < n / 10; i++) s[i] = 0;                                   // digital silence
            for (int i = n / 2; i < n / 2 + 5000 && i < n; i++) s[i] = (float) (2 * r.nextDouble() - 1);   // white noise
            s[n - 1] = 1.0f;                                                              // full scale
            s[n - 2] = -1.0f;
            p[c] = s;
        }
        return AudioClip.ofChannels(p, rate);
    }

    @ParameterizedTest(name = "FLAC {1}-bit, {0} Hz, {2} ch: bit-exact through jFLAC")
    @CsvSource({"24000,16,1", "44100,16,2", "48000,24,2", "11025,16,1", "96000,24,1", "22222,16,1"})
    void flacIsLosslessThroughJflac(int rate, int bits, int channels) throws IOException {
        AudioClip c = material(rate, channels, 2.7);
        Path f = dir.resolve("x.flac");
        new AudioExporter().export(c, f, bits == 16 ? Format.FLAC : Format.FLAC24);
        AudioClip back = AudioReader.read(f);                                            // jFLAC, plus our MD5 check
        assertEquals(rate, back.sampleRate());
        assertEquals(channels, back.channels());
        assertEquals(c.samples().length, back.samples().length);
        double scale = 1L << (bits - 1);
        for (int i = 0; i < c.samples().length; i++)
            assertEquals(WavCodec.quantize(c.samples()[i], bits), Math.round(back.samples()[i] * scale), "sample " + i);
        long wavBytes = (long) c.samples().length * bits / 8;
        System.out.printf("FLAC %d Hz %d-bit %d ch: %d bytes, %.1f %% of PCM%n", rate, bits, channels, Files.size(f), 100.0 * Files.size(f) / wavBytes);
    }

    @ParameterizedTest(name = "FLAC {1}-bit, {0} Hz, {2} ch: flac -t and ffmpeg agree")
    @CsvSource({"24000,16,1", "44100,16,2", "48000,24,2", "11025,16,1", "22222,24,1"})
    void flacIsValidForReferenceDecoders(int rate, int bits, int channels) throws Exception {
        TestAudio.assumeTool("ffmpeg");
        AudioClip c = material(rate, channels, 2.2);
        Path f = dir.resolve("x.flac");
        new AudioExporter().export(c, f, bits == 16 ? Format.FLAC : Format.FLAC24);
        if (TestAudio.has("flac")) TestAudio.run("flac", "-s", "-t", f.toString());     // checks CRCs and the MD5
        Path wav = dir.resolve("ff.wav");
        TestAudio.run("ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f.toString(), "-c:a", bits == 16 ? "pcm_s16le" : "pcm_s24le", wav.toString());
        AudioClip ff = AudioReader.read(wav);
        assertEquals(c.samples().length, ff.samples().length);
        double scale = 1L << (bits - 1);
        for (int i = 0; i < c.samples().length; i++)
            assertEquals(WavCodec.quantize(c.samples()[i], bits), Math.round(ff.samples()[i] * scale), "sample " + i);
    }

    @Test
    void mp3IsConstant192kbpsAt44100() throws IOException {
        AudioClip c = new AudioClip(TestAudio.speechLike(5.0, 24_000, 2), 24_000);
        Path f = dir.resolve("ch01.mp3");
        new AudioExporter().export(c, f, Format.MP3);
        byte[] b = Files.readAllBytes(f);
        int frames = 0, pos = 0;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF || (b[pos + 1] & 0xE0) != 0xE0) { pos++; continue; }
            int version = (b[pos + 1] >> 3) & 3, layer = (b[pos + 1] >> 1) & 3, brIndex = (b[pos + 2] >> 4) & 15, srIndex = (b[pos + 2] >> 2) & 3;
            int padding = (b[pos + 2] >> 1) & 1;
            assertEquals(3, version, "MPEG-1");
            assertEquals(1, layer, "Layer III");
            assertEquals(11, brIndex, "192 kbps in every frame (CBR)");
            assertEquals(0, srIndex, "44.1 kHz");
            pos += 144 * 192_000 / 44_100 + padding;
            frames++;
        }
        assertEquals(5.0 * 44_100 / 1152, frames, 4, "frame count for 5 s");
        AudioClip back = AudioReader.read(f);
        assertEquals(44_100, back.sampleRate());
        assertEquals(1, back.channels());
    }

    @Test
    void m4bHasChaptersAndTitle() throws Exception {
        TestAudio.assumeTool("ffmpeg");
        TestAudio.assumeTool("ffprobe");
        AudioClip c = new AudioClip(TestAudio.speechLike(9.0, 24_000, 4), 24_000);
        Path f = dir.resolve("book.m4b");
        List<Chapter> chapters = List.of(new Chapter("Chapter 1: Beginnings", 0), new Chapter("Chapter 2; the = middle #", 3.5),
                new Chapter("Épilogue", 7.25));
        new AudioExporter().export(c, f, Format.M4B, "A Tale; of Tests", chapters);
        JsonObject probe = JsonParser.parseString(TestAudio.run("ffprobe", "-v", "error", "-show_chapters", "-show_format", "-show_streams",
                "-of", "json", f.toString())).getAsJsonObject();
        JsonArray ch = probe.getAsJsonArray("chapters");
        assertEquals(3, ch.size());
        for (int i = 0; i < 3; i++) {
            JsonObject o = ch.get(i).getAsJsonObject();
            assertEquals(chapters.get(i).title(), o.getAsJsonObject("tags").get("title").getAsString());
            assertEquals(chapters.get(i).startSeconds(), o.get("start_time").getAsDouble(), 0.01);
        }
        assertEquals(9.0, ch.get(2).getAsJsonObject().get("end_time").getAsDouble(), 0.05);
        assertEquals("A Tale; of Tests", probe.getAsJsonObject("format").getAsJsonObject("tags").get("title").getAsString());
        assertEquals("aac", probe.getAsJsonArray("streams").get(0).getAsJsonObject().get("codec_name").getAsString());
        AudioClip back = AudioReader.read(f);                                           // and we can read it back
        assertEquals(9.0, back.seconds(), 0.1);
        assertOnlyFiles("book.m4b");
    }

    @Test
    void bookJoinsChaptersWithMarkers() throws Exception {
        TestAudio.assumeTool("ffprobe");
        AudioClip one = new AudioClip(TestAudio.speechLike(2.0, 24_000, 1), 24_000);
        AudioClip two = new AudioClip(TestAudio.speechLike(3.0, 48_000, 2), 48_000);        // other rate: resampled
        Path f = dir.resolve("book.m4b");
        new AudioExporter().exportBook(List.of(one, two), List.of("One", "Two"), f, Format.M4B, "Book");
        JsonArray ch = JsonParser.parseString(TestAudio.run("ffprobe", "-v", "error", "-show_chapters", "-of", "json", f.toString()))
                .getAsJsonObject().getAsJsonArray("chapters");
        assertEquals(2, ch.size());
        assertEquals("Two", ch.get(1).getAsJsonObject().getAsJsonObject("tags").get("title").getAsString());
        assertEquals(2.0, ch.get(1).getAsJsonObject().get("start_time").getAsDouble(), 0.01);
        assertEquals(5.0, ch.get(1).getAsJsonObject().get("end_time").getAsDouble(), 0.05);
    }

    @Test
    void m4bWithoutFfmpegSaysWhatToInstallAndLeavesNothingBehind() throws IOException {
        Path f = dir.resolve("book.m4b");
        Files.writeString(f, "previous version");
        String old = System.setProperty("narrator.ffmpeg", dir.resolve("no-ffmpeg-here").toString());
        try {
            IOException e = assertThrows(IOException.class,
                    () -> new AudioExporter().export(new AudioClip(new float[24_000], 24_000), f, Format.M4B));
            assertTrue(e.getMessage().contains("ffmpeg") && e.getMessage().contains("apt-get install ffmpeg")
                    && e.getMessage().contains("WAV, FLAC or MP3"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("narrator.ffmpeg");
            else System.setProperty("narrator.ffmpeg", old);
        }
        assertEquals("previous version", Files.readString(f));
        assertOnlyFiles("book.m4b");
    }

    @Test
    void writesAtomicallyAndReplaces() throws IOException {
        Path f = dir.resolve("out.wav");
        Files.writeString(f, "old");
        new AudioExporter().export(new AudioClip(TestAudio.sine(440, 0.5, 0.5, 24_000), 24_000), f, Format.WAV24);
        assertEquals(24_000 / 2, AudioReader.read(f).frames());
        assertOnlyFiles("out.wav");
        // a failing write leaves the old file and no temporary
        Path nested = dir.resolve("sub").resolve("x.flac");
        new AudioExporter().export(new AudioClip(new float[100], 24_000), nested, Format.FLAC);
        assertTrue(Files.exists(nested));
        Path g = dir.resolve("keep.flac");
        Files.writeString(g, "keep");
        AudioClip nine = new AudioClip(new float[9 * 10], 24_000, 9);                     // FLAC holds at most 8 channels
        assertThrows(IllegalArgumentException.class, () -> new AudioExporter().export(nine, g, Format.FLAC));
        assertEquals("keep", Files.readString(g));
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "temporary files left behind");
        }
    }

    @Test
    void formatsFromNamesAndOptions() {
        assertEquals(Format.WAV16, Format.forFile(Path.of("a.WAV")));
        assertEquals(Format.FLAC, Format.forFile(Path.of("a.flac")));
        assertEquals(Format.MP3, Format.forFile(Path.of("x/y.mp3")));
        assertEquals(Format.M4B, Format.forFile(Path.of("book.m4b")));
        assertEquals(Format.M4A, Format.forFile(Path.of("book.m4a")));
        assertEquals(Format.WAV24, Format.parse("wav24"));
        assertThrows(IllegalArgumentException.class, () -> Format.forFile(Path.of("a.ogg")));
        assertThrows(IllegalArgumentException.class, () -> Format.parse("aiff"));
        assertThrows(IllegalArgumentException.class, () -> AudioExporter.ffmetadata(null, List.of(new Chapter("late", 20)), 10));
    }

    private void assertOnlyFiles(String... names) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(java.util.Set.of(names), s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }
}
