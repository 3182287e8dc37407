package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.higgsnarrator.audio.AudioExporter.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A long-form render's float file is exported without holding it: every format from the file equals the same
 * format written from the whole clip in memory, and a file several times the Java heap exports in a JVM with that
 * heap.
 */
class StreamingExportTest {
    @TempDir
    Path dir;

    static void writeFloats(Path file, float[] s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(s.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(s);
        Files.write(file, b.array());
    }

    @ParameterizedTest(name = "{0} from the float file equals {0} from the clip")
    @EnumSource(value = Format.class, names = {"WAV16", "WAV24", "FLAC", "FLAC24", "MP3"})
    void fileExportEqualsClipExport(Format format) throws IOException {
        AudioClip clip = AudioExporterTest.material(24000, 1, 7.3); // several FLAC blocks, resampler windows and LAME buffers
        Path floats = dir.resolve("audio.f32");
        writeFloats(floats, clip.samples());
        Path fromFile = dir.resolve("file." + format.extension()), fromClip = dir.resolve("clip." + format.extension());
        new AudioExporter().exportFloatFile(floats, 24000, fromFile, format);
        new AudioExporter().export(clip, fromClip, format);
        assertArrayEquals(Files.readAllBytes(fromClip), Files.readAllBytes(fromFile), format + " differs between the two paths");
    }

    @Test
    void streamingResamplerEqualsTheWholeSignal() throws IOException {
        float[] x = AudioExporterTest.material(24000, 1, 3.1).samples();
        Resampler r = new Resampler(24000, 44100);
        float[] whole = r.process(x);
        List<Float> got = new ArrayList<>();
        // reads of odd sizes, to cross every window boundary
        FloatReader in = new FloatReader() {
            final FloatReader all = FloatReader.of(x);

            @Override
            public int read(float[] dst, int off, int len) throws IOException {
                return all.read(dst, off, Math.min(len, 777));
            }
        };
        r.process(in, x.length, (s, n) -> { for (int i = 0; i < n; i++) got.add(s[i]); });
        assertEquals(whole.length, got.size());
        for (int i = 0; i < whole.length; i++) assertEquals(whole[i], got.get(i), 0f, "sample " + i);
    }

    @Test
    void m4bFromTheFloatFileDecodesToTheSameLength() throws Exception {
        TestAudio.assumeTool("ffmpeg");
        AudioClip clip = AudioExporterTest.material(24000, 1, 4.0);
        Path floats = dir.resolve("audio.f32");
        writeFloats(floats, clip.samples());
        Path m4b = dir.resolve("chapter.m4b");
        new AudioExporter().exportFloatFile(floats, 24000, m4b, Format.M4B);
        AudioClip back = AudioReader.read(m4b);
        assertEquals(4.0, back.seconds(), 0.05, "the AAC file's length");
    }

    /**
     * The float file is 4× the child JVM's heap (-Xmx24m: 25 M samples, 100 MB, 17 min of audio): FLAC streams it;
     * before, the whole file was read into one array and this died with an OutOfMemoryError.
     */
    @Test
    void aFileLargerThanTheHeapExportsToFlacInASmallHeap() throws Exception {
        Path floats = dir.resolve("book.f32");
        int n = 25_000_000;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(floats), 1 << 16)) {
            ByteBuffer b = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; ) {
                b.clear();
                for (int k = 0; k < 4096 && i < n; k++, i++) b.putFloat((float) (0.3 * Math.sin(i * 0.01) * ((i / 24000) % 2)));
                out.write(b.array(), 0, b.position());
            }
        }
        Path flac = dir.resolve("book.flac");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx24m", "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                floats.toString(), flac.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child export did not finish in 2 minutes");
        assertEquals(0, p.exitValue(), "the export in a 24 MB heap failed:\n" + log);
        assertTrue(Files.size(flac) > 1000, "no FLAC written");
        try (var in = Files.newInputStream(flac)) {
            byte[] head = in.readNBytes(26);
            assertEquals("fLaC", new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
            // STREAMINFO's 36-bit total sample count: the low 32 bits are bytes 22..25
            long total = ((head[21] & 0x0FL) << 32) | ((head[22] & 0xFFL) << 24) | ((head[23] & 0xFFL) << 16) | ((head[24] & 0xFFL) << 8) | (head[25] & 0xFFL);
            assertEquals(n, total);
        }
    }

    /** A chapter whose audio comes in pieces (as the studio's takes, one file at a time) through FloatReader.concat. */
    static AudioExporter.ChapterSource pieces(String title, float[] s, int piece) {
        List<FloatReader.Source> parts = new ArrayList<>();
        for (int at = 0; at < s.length; at += piece) {
            float[] p = java.util.Arrays.copyOfRange(s, at, Math.min(s.length, at + piece));
            parts.add(() -> FloatReader.of(p));
            parts.add(() -> FloatReader.silence(0));
        }
        return new AudioExporter.ChapterSource(title, s.length, () -> FloatReader.concat(parts));
    }

    @ParameterizedTest(name = "{0}: a book streamed from chapter sources equals the book joined in memory")
    @EnumSource(value = Format.class, names = {"WAV16", "FLAC", "FLAC24", "MP3"})
    void streamedBookEqualsTheJoinedBook(Format format) throws IOException {
        AudioClip one = AudioExporterTest.material(24000, 1, 2.3), two = AudioExporterTest.material(24000, 1, 3.7);
        Path streamed = dir.resolve("streamed." + format.extension()), joined = dir.resolve("joined." + format.extension());
        float[] all = new float[one.samples().length + two.samples().length];
        System.arraycopy(one.samples(), 0, all, 0, one.samples().length);
        System.arraycopy(two.samples(), 0, all, one.samples().length, two.samples().length);
        List<Float> tapped = new ArrayList<>();
        new AudioExporter().exportBook(List.of(pieces("One", one.samples(), 5003), pieces("Two", two.samples(), 24000)), 24000, 1,
                streamed, format, "Book", (s, n) -> { for (int i = 0; i < n; i++) tapped.add(s[i]); });
        new AudioExporter().export(new AudioClip(all, 24000), joined, format);
        assertArrayEquals(Files.readAllBytes(joined), Files.readAllBytes(streamed), format + " differs between the two paths");
        assertEquals(all.length, tapped.size(), "the tap sees every sample once");
        for (int i = 0; i < all.length; i += 997) assertEquals(all[i], tapped.get(i), 0f, "tapped sample " + i);
    }

    @Test
    void aChapterShorterOrLongerThanItsLengthIsNamed() throws IOException {
        float[] s = AudioExporterTest.material(24000, 1, 1.0).samples();
        Path out = dir.resolve("book.wav");
        var shortOne = new AudioExporter.ChapterSource("The Short One", s.length + 10, () -> FloatReader.of(s));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> new AudioExporter().exportBook(
                List.of(pieces("First", s, 999), shortOne), 24000, 1, out, Format.WAV16, "Book", null));
        assertTrue(e.getMessage().contains("The Short One") && e.getMessage().contains("ended after"), e.getMessage());
        var longOne = new AudioExporter.ChapterSource("The Long One", s.length - 10, () -> FloatReader.of(s));
        e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> new AudioExporter().exportBook(
                List.of(longOne), 24000, 1, out, Format.FLAC, "Book", null));
        assertTrue(e.getMessage().contains("The Long One") && e.getMessage().contains("more audio"), e.getMessage());
        assertTrue(Files.notExists(out), "nothing written");
    }

    @Test
    void streamedM4bHasTheChapterMarks() throws Exception {
        TestAudio.assumeTool("ffprobe");
        float[] a = AudioExporterTest.material(24000, 1, 2.0).samples(), b = AudioExporterTest.material(24000, 1, 3.0).samples();
        Path m4b = dir.resolve("book.m4b");
        new AudioExporter().exportBook(List.of(pieces("One", a, 7000), pieces("Two", b, 7000)), 24000, 1, m4b, Format.M4B, "Book", null);
        var ch = com.google.gson.JsonParser.parseString(TestAudio.run("ffprobe", "-v", "error", "-show_chapters", "-of", "json", m4b.toString()))
                .getAsJsonObject().getAsJsonArray("chapters");
        assertEquals(2, ch.size());
        assertEquals("Two", ch.get(1).getAsJsonObject().getAsJsonObject("tags").get("title").getAsString());
        assertEquals(2.0, ch.get(1).getAsJsonObject().get("start_time").getAsDouble(), 0.01);
        assertEquals(5.0, AudioReader.read(m4b).seconds(), 0.05);
    }

    /** The exporter in a JVM of its own (the test's heap says nothing about a small one). */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            new AudioExporter().exportFloatFile(Path.of(args[0]), 24000, Path.of(args[1]), Format.FLAC);
        }
    }
}
