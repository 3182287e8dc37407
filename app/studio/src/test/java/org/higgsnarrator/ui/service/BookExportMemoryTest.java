package org.higgsnarrator.ui.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.higgsnarrator.audio.Ffmpeg;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The studio's book export never holds the book: a project whose takes total 28 minutes of audio (40 M samples,
 * 161 MB as floats, 3.4× the heap) exports in a child JVM with {@code -Xmx48m}, with the loudness notes, the right
 * length and, in M4B, the chapter marks where the chapters start. Before, the export held the book three times over
 * as floats (the chapters, the joined book, and a second join for the loudness check) and died with an
 * OutOfMemoryError.
 */
class BookExportMemoryTest {
    static final int RATE = NarrationService.RATE, TAKE_SECONDS = 60;
    static final int[] TAKES_PER_CHAPTER = {9, 10, 9};
    static final String HEAP = "-Xmx48m";

    @TempDir
    Path dir;

    /** A take file as the studio stores one (16-bit mono WAV at 24 kHz): a tone in phrases with quiet room tone between. */
    static long writeTake(Path file, int seed) throws IOException {
        int n = TAKE_SECONDS * RATE + 997 * seed;   // takes of different lengths
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            h.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
                    .putInt(RATE).putInt(2 * RATE).putShort((short) 2).putShort((short) 16).put("data".getBytes()).putInt(2 * n);
            out.write(h.array());
            ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
            long lcg = seed * 7919L + 1;
            for (int i = 0; i < n; i++) {
                lcg = lcg * 6364136223846793005L + 1442695040888963407L;
                double noise = ((lcg >>> 40) / (double) (1L << 24) - 0.5) * 0.002;
                boolean phrase = (i / (RATE / 2)) % 4 != 3;
                double v = noise + (phrase ? 0.2 * Math.sin(2 * Math.PI * (180 + 20 * seed % 7) * i / RATE) : 0);
                b.putShort((short) Math.round(v * 32767));
                if (!b.hasRemaining()) {
                    out.write(b.array());
                    b.clear();
                }
            }
            out.write(b.array(), 0, b.position());
        }
        return n;
    }

    @ParameterizedTest(name = "{0}: a book 3.4× the heap exports with -Xmx48m")
    @EnumSource(value = ExportFormat.class, names = {"M4B", "FLAC"})
    void aBookSeveralTimesTheHeapExportsInASmallHeap(ExportFormat format) throws Exception {
        if (format == ExportFormat.M4B) Assumptions.assumeTrue(Ffmpeg.find().isPresent(), "ffmpeg is not installed");
        Path takes = Files.createDirectories(dir.resolve("takes"));
        List<Long> chapterFrames = new ArrayList<>();
        int seed = 0;
        for (int c = 0; c < TAKES_PER_CHAPTER.length; c++) {
            long frames = 0;
            for (int t = 0; t < TAKES_PER_CHAPTER[c]; t++) {
                if (t > 0) frames += NarrationService.TAKE_GAP;
                frames += writeTake(takes.resolve(String.format(Locale.ROOT, "c%d-t%02d.wav", c, t)), seed++);
            }
            chapterFrames.add(frames);
        }
        long total = chapterFrames.stream().mapToLong(Long::longValue).sum();
        assertTrue(4 * total > 3 * 48L << 20, "the book as floats is several times the child's heap: " + 4 * total + " bytes");

        Path out = dir.resolve("book" + format.extension);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, HEAP, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                takes.toString(), format.name(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the child export did not finish in 10 minutes");
        assertEquals(0, p.exitValue(), "the export in a " + HEAP + " heap failed:\n" + log);

        double seconds = total / (double) RATE;
        assertTrue(log.contains(String.format(Locale.ROOT, "seconds=%.6f", seconds)), "the report's length: " + log);
        assertTrue(log.contains("note=ACX audiobook: ") && log.lines().filter(l -> l.startsWith("note=")).count() >= 2,
                "the loudness notes, one line per preset: " + log);
        if (format == ExportFormat.FLAC) {
            try (var in = Files.newInputStream(out)) {
                byte[] head = in.readNBytes(26);
                long n = ((head[21] & 0x0FL) << 32) | ((head[22] & 0xFFL) << 24) | ((head[23] & 0xFFL) << 16) | ((head[24] & 0xFFL) << 8) | (head[25] & 0xFFL);
                assertEquals(total, n, "FLAC STREAMINFO's sample count");
            }
        } else {
            JsonObject probe = JsonParser.parseString(ffprobe(out)).getAsJsonObject();
            assertEquals(seconds, probe.getAsJsonObject("format").get("duration").getAsDouble(), 0.1, "the M4B's duration");
            JsonArray ch = probe.getAsJsonArray("chapters");
            assertEquals(TAKES_PER_CHAPTER.length, ch.size(), "one mark per chapter");
            double start = 0;
            for (int c = 0; c < ch.size(); c++) {
                JsonObject m = ch.get(c).getAsJsonObject();
                assertEquals("Chapter " + (c + 1), m.getAsJsonObject("tags").get("title").getAsString());
                assertEquals(start, m.get("start_time").getAsDouble(), 0.002, "chapter " + (c + 1) + " starts where the previous ends");
                start += chapterFrames.get(c) / (double) RATE;
                assertEquals(start, m.get("end_time").getAsDouble(), 0.002, "chapter " + (c + 1) + " ends");
            }
        }
    }

    static String ffprobe(Path f) throws Exception {
        Path exe = Ffmpeg.find().orElseThrow().executable();
        Path probe = exe.resolveSibling(exe.getFileName().toString().replace("ffmpeg", "ffprobe"));
        Process p = new ProcessBuilder(probe.toString(), "-v", "error", "-show_chapters", "-show_format", "-of", "json", f.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffprobe failed on " + f);
        return out;
    }

    /** The studio's export in a JVM of its own: the takes of chapter k are the files {@code ck-*.wav}, in name order. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            Path takes = Path.of(args[0]);
            List<ExportRequest.ChapterAudio> chapters = new ArrayList<>();
            for (int c = 0; ; c++) {
                String prefix = "c" + c + "-";
                List<Path> files;
                try (var s = Files.list(takes)) {
                    files = s.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
                }
                if (files.isEmpty()) break;
                chapters.add(new ExportRequest.ChapterAudio("Chapter " + (c + 1), files));
            }
            try (EngineNarrationService service = new EngineNarrationService()) {
                ExportReport r = service.exportAudio(new ExportRequest(chapters, "A Long Book", ExportFormat.valueOf(args[1]), Path.of(args[2])));
                System.out.printf(Locale.ROOT, "seconds=%.6f%n", r.seconds());
                for (String n : r.notes()) System.out.println("note=" + n);
            }
        }
    }
}
