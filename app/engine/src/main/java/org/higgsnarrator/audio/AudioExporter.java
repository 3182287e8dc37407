package org.higgsnarrator.audio;

import org.higgsnarrator.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import de.sciss.jump3r.lowlevel.LameEncoder;

/**
 * Writes audio files, always atomically (temporary file beside the target, then a move).
 * WAV and FLAC are written here, MP3 with jump3r (a Java port of LAME), M4B/M4A (AAC with chapter markers) through
 * ffmpeg, which must be installed for those two.
 */
public final class AudioExporter {
    private final AudioOptions o;

    public AudioExporter() {
        this(AudioOptions.DEFAULTS);
    }

    public AudioExporter(AudioOptions options) {
        this.o = options;
    }

    public enum Format {
        WAV16("wav"), WAV24("wav"), FLAC("flac"), FLAC24("flac"), MP3("mp3"), M4B("m4b"), M4A("m4a");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }

        /** True for the formats written through ffmpeg. */
        public boolean needsFfmpeg() {
            return this == M4B || this == M4A;
        }

        /** The format a file name asks for (.wav and .flac mean 16-bit). */
        public static Format forFile(Path file) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            int dot = n.lastIndexOf('.');
            String ext = dot < 0 ? "" : n.substring(dot + 1);
            return switch (ext) {
                case "wav" -> WAV16;
                case "flac" -> FLAC;
                case "mp3" -> MP3;
                case "m4b" -> M4B;
                case "m4a", "mp4", "aac" -> M4A;
                default -> throw new IllegalArgumentException(file + ": cannot tell the audio format from the extension '" + ext
                        + "'; use .wav, .flac, .mp3, .m4b or .m4a");
            };
        }

        public static Format parse(String s) {
            for (Format f : values()) if (f.name().equalsIgnoreCase(s)) return f;
            if (s.equalsIgnoreCase("wav")) return WAV16;
            if (s.equalsIgnoreCase("flac16")) return FLAC;
            throw new IllegalArgumentException("unknown format '" + s + "': use wav16, wav24, flac, flac24, mp3, m4b or m4a");
        }
    }

    /** A chapter marker: title and start time; it lasts until the next one (or the end). */
    public record Chapter(String title, double startSeconds) {}

    public void export(AudioClip clip, Path target, Format format) throws IOException {
        export(clip, target, format, null, List.of());
    }

    /**
     * @param title    album/book title stored in M4B/M4A metadata (may be null)
     * @param chapters chapter markers, stored in M4B/M4A only (other formats have no common chapter convention)
     */
    public void export(AudioClip clip, Path target, Format format, String title, List<Chapter> chapters) throws IOException {
        switch (format) {
            case WAV16 -> AtomicFiles.write(target, out -> WavCodec.write(clip, 16, out));
            case WAV24 -> AtomicFiles.write(target, out -> WavCodec.write(clip, 24, out));
            case FLAC -> AtomicFiles.write(target, out -> FlacEncoder.write(clip, 16, out));
            case FLAC24 -> AtomicFiles.write(target, out -> FlacEncoder.write(clip, 24, out));
            case MP3 -> AtomicFiles.write(target, out -> writeMp3(clip, out));
            case M4B, M4A -> writeAac(clip, target, title, chapters);
        }
    }

    /**
     * Exports a mono file of 32-bit little-endian float samples (a long-form render's audio), streaming, in constant
     * memory whatever the length: WAV and FLAC are encoded block by block (FLAC reads the file twice, for its MD5),
     * MP3 is resampled and encoded block by block, M4B/M4A are encoded by ffmpeg reading the floats from a pipe.
     */
    public void exportFloatFile(Path floats, int sampleRate, Path target, Format format) throws IOException {
        exportStream(() -> FloatReader.open(floats), Files.size(floats) / 4, sampleRate, 1, target, format, null, List.of(), null);
    }

    /**
     * One chapter of a book export, read when its turn comes and never held whole by the exporter.
     *
     * @param frames its length in frames: the chapter marks are placed from it before any audio is read, and the
     *               audio must have exactly this many (an error names the chapter otherwise)
     * @param audio  opens its interleaved samples, at the book's rate and channel count, from the start (FLAC and the
     *               length checks may open it more than once)
     */
    public record ChapterSource(String title, long frames, FloatReader.Source audio) {
        public ChapterSource {
            if (frames < 0) throw new IllegalArgumentException("chapter '" + title + "' has a negative length: " + frames);
        }
    }

    /**
     * Writes chapters one after another into one file with a chapter marker at the start of each (markers and the
     * book title are kept by M4B/M4A), streaming: the chapters are read in turn, block by block, so memory stays
     * flat whatever the length of the book (WAV/FLAC/MP3 are encoded here block by block, M4B/M4A by ffmpeg reading
     * a pipe). {@code tap}, when not null, sees every sample exactly once, in order (e.g. a
     * {@link LoudnessMeter.Stream} measuring the book while it is written).
     */
    public void exportBook(List<ChapterSource> chapters, int sampleRate, int channels, Path target, Format format, String bookTitle,
                           Resampler.Sink tap) throws IOException {
        if (chapters.isEmpty()) throw new IllegalArgumentException("a book needs at least one chapter");
        List<Chapter> marks = new ArrayList<>();
        long frames = 0;
        for (ChapterSource c : chapters) {
            marks.add(new Chapter(c.title(), frames / (double) sampleRate));
            frames += c.frames();
        }
        exportStream(() -> new ChapterReader(chapters, channels), frames, sampleRate, channels, target, format, bookTitle, marks, tap);
    }

    /**
     * Joins chapters into one file with a chapter marker at the start of each (markers are kept by M4B/M4A). Chapters
     * are converted to the first one's sample rate (to the MP3 rate for MP3); if their channel counts differ, all are
     * mixed down to mono. The clips are in memory already; the file is written as {@link #exportBook(List, int, int,
     * Path, Format, String, Resampler.Sink)} writes it, without joining them.
     */
    public void exportBook(List<AudioClip> chapterAudio, List<String> titles, Path target, Format format, String bookTitle) throws IOException {
        if (chapterAudio.isEmpty() || chapterAudio.size() != titles.size())
            throw new IllegalArgumentException("need one title per chapter, got " + chapterAudio.size() + " chapters and " + titles.size() + " titles");
        boolean mp3 = format == Format.MP3;
        int rate = mp3 ? o.mp3SampleRate() : chapterAudio.getFirst().sampleRate();
        boolean mono = chapterAudio.stream().mapToInt(AudioClip::channels).distinct().count() > 1
                || (mp3 && chapterAudio.getFirst().channels() > 2);
        List<ChapterSource> parts = new ArrayList<>();
        for (int i = 0; i < chapterAudio.size(); i++) {
            AudioClip c = Resampler.resample(mono ? chapterAudio.get(i).toMono() : chapterAudio.get(i), rate);
            parts.add(new ChapterSource(titles.get(i), c.frames(), () -> FloatReader.of(c.samples())));
        }
        int channels = mono ? 1 : chapterAudio.getFirst().channels();
        exportBook(parts, rate, channels, target, format, bookTitle, null);
    }

    /** Every format from a source read block by block: the one streaming writer behind the file and book exports. */
    private void exportStream(FloatReader.Source source, long frames, int rate, int channels, Path target, Format format, String title,
                              List<Chapter> chapters, Resampler.Sink tap) throws IOException {
        FloatReader.Source in = tap == null ? source : tapFirstOpen(source, tap);
        switch (format) {
            case WAV16 -> AtomicFiles.write(target, out -> WavCodec.write(channels, rate, frames, in, 16, out));
            case WAV24 -> AtomicFiles.write(target, out -> WavCodec.write(channels, rate, frames, in, 24, out));
            case FLAC -> AtomicFiles.write(target, out -> FlacEncoder.write(channels, rate, frames, in, 16, out));
            case FLAC24 -> AtomicFiles.write(target, out -> FlacEncoder.write(channels, rate, frames, in, 24, out));
            case MP3 -> AtomicFiles.write(target, out -> writeMp3(in, frames, rate, channels, out));
            case M4B, M4A -> {
                Ffmpeg ff = ffmpegFor(target);
                writeAac(ff, List.of("-f", "f32le", "-ar", String.valueOf(rate), "-ac", String.valueOf(channels), "-i", "pipe:0"), in,
                        target, title, chapters, (double) frames / rate);
            }
        }
    }

    /** The source, its first opening passing every sample it reads to {@code tap} (FLAC opens it twice). */
    private static FloatReader.Source tapFirstOpen(FloatReader.Source source, Resampler.Sink tap) {
        boolean[] opened = {false};
        return () -> {
            FloatReader r = source.open();
            if (opened[0]) return r;
            opened[0] = true;
            return new FloatReader() {
                @Override
                public int read(float[] dst, int off, int len) throws IOException {
                    int n = r.read(dst, off, len);
                    if (n > 0) tap.accept(off == 0 ? dst : java.util.Arrays.copyOfRange(dst, off, off + n), n);
                    return n;
                }

                @Override
                public void close() throws IOException {
                    r.close();
                }
            };
        };
    }

    /** The chapters one after another, each opened in its turn and held to exactly its length. */
    private static final class ChapterReader implements FloatReader {
        private final List<ChapterSource> chapters;
        private final int channels;
        private int index = -1;
        private FloatReader cur;
        private long left;

        ChapterReader(List<ChapterSource> chapters, int channels) {
            this.chapters = chapters;
            this.channels = channels;
        }

        @Override
        public int read(float[] dst, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (true) {
                if (cur == null) {
                    if (index + 1 >= chapters.size()) return -1;
                    ChapterSource c = chapters.get(++index);
                    cur = c.audio().open();
                    left = c.frames() * channels;
                }
                ChapterSource c = chapters.get(index);
                if (left == 0) {
                    closeChecked();
                    continue;
                }
                int r = cur.read(dst, off, (int) Math.min(len, left));
                if (r < 0)
                    throw new java.io.EOFException("chapter '" + c.title() + "' ended after " + (c.frames() * channels - left) / channels
                            + " of its " + c.frames() + " frames");
                left -= r;
                return r;
            }
        }

        /** Closes the chapter read to its length, after checking that it has no more. */
        private void closeChecked() throws IOException {
            FloatReader done = cur;
            cur = null;
            try (done) {
                if (done.read(new float[1], 0, 1) > 0) {
                    ChapterSource c = chapters.get(index);
                    throw new IOException("chapter '" + c.title() + "' has more audio than its length of " + c.frames() + " frames");
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (cur == null) return;
            if (left == 0) closeChecked(); // the last chapter, read to its end by the writer
            else {
                cur.close();
                cur = null;
            }
        }
    }

    /** CBR MP3 from a source: mono is resampled block by block, stereo must be at the MP3 rate already. */
    private void writeMp3(FloatReader.Source source, long frames, int rate, int channels, OutputStream out) throws IOException {
        if (channels > 2 || (channels == 2 && rate != o.mp3SampleRate()))
            throw new IllegalArgumentException("streaming MP3 takes mono at any rate or stereo at " + o.mp3SampleRate() + " Hz, got "
                    + channels + " channels at " + rate + " Hz");
        try (FloatReader in = source.open(); Mp3Stream mp3 = new Mp3Stream(o.mp3SampleRate(), channels, out)) {
            if (rate == o.mp3SampleRate()) {
                float[] block = new float[8192];
                long left = frames * channels;
                while (left > 0) {
                    int n = (int) Math.min(block.length, left);
                    in.readFully(block, 0, n, "the audio");
                    mp3.accept(block, n);
                    left -= n;
                }
            } else {
                new Resampler(rate, o.mp3SampleRate()).process(in, frames, mp3::accept);
            }
        }
    }

    /** CBR MP3 at {@code mp3BitrateKbps} and {@code mp3SampleRate} (ACX: 192 kbps, 44.1 kHz). */
    private void writeMp3(AudioClip clip, OutputStream out) throws IOException {
        AudioClip c = Resampler.resample(clip, o.mp3SampleRate());
        if (c.channels() > 2) c = c.toMono();
        try (Mp3Stream mp3 = new Mp3Stream(c.sampleRate(), c.channels(), out)) {
            mp3.accept(c.samples(), c.samples().length);
        }
    }

    /** A LAME encoder fed interleaved float samples block by block; closing it writes the last frames. */
    private final class Mp3Stream implements AutoCloseable {
        private final LameEncoder enc;
        private final OutputStream out;
        private final byte[] in, mp3;
        private int len;

        Mp3Stream(int rate, int channels, OutputStream out) {
            AudioFormat pcm = new AudioFormat(rate, 16, channels, true, false);
            this.enc = new LameEncoder(pcm, o.mp3BitrateKbps(),
                    channels == 1 ? LameEncoder.CHANNEL_MODE_MONO : LameEncoder.CHANNEL_MODE_JOINT_STEREO, LameEncoder.QUALITY_HIGH, false);
            this.out = out;
            this.in = new byte[enc.getPCMBufferSize()];
            this.mp3 = new byte[enc.getMP3BufferSize()];
        }

        void accept(float[] s, int n) throws IOException {
            for (int i = 0; i < n; i++) {
                int q = WavCodec.quantize(s[i], 16);
                in[len] = (byte) q;
                in[len + 1] = (byte) (q >> 8);
                len += 2;
                if (len + 1 >= in.length) flush();
            }
        }

        private void flush() throws IOException {
            out.write(mp3, 0, enc.encodeBuffer(in, 0, len, mp3));
            len = 0;
        }

        @Override
        public void close() throws IOException {
            try {
                if (len > 0) flush();
                out.write(mp3, 0, enc.encodeFinish(mp3));
            } finally {
                enc.close();
            }
        }
    }

    private void writeAac(AudioClip clip, Path target, String title, List<Chapter> chapters) throws IOException {
        writeAac(ffmpegFor(target), List.of("-f", "f32le", "-ar", String.valueOf(clip.sampleRate()), "-ac", String.valueOf(clip.channels()),
                "-i", "pipe:0"), () -> FloatReader.of(clip.samples()), target, title, chapters, clip.seconds());
    }

    private static Ffmpeg ffmpegFor(Path target) throws IOException {
        return Ffmpeg.find().orElseThrow(() -> new IOException(
                "writing " + target.getFileName() + " (M4B/M4A, AAC) needs ffmpeg, which was not found: " + Ffmpeg.INSTALL_HINT
                        + "; or export WAV, FLAC or MP3 instead"));
    }

    /**
     * AAC in an MP4 container through ffmpeg, from its input arguments (raw floats on {@code pipe:0}) and the source
     * that is written to that pipe.
     */
    private void writeAac(Ffmpeg ff, List<String> input, FloatReader.Source source, Path target, String title, List<Chapter> chapters,
                          double seconds) throws IOException {
        Path meta = Files.createTempFile("narrator-chapters-", ".txt");
        try {
            Files.writeString(meta, ffmetadata(title, chapters, seconds), StandardCharsets.UTF_8);
            List<String> args = new ArrayList<>(List.of("-v", "error", "-y"));
            args.addAll(input);
            args.addAll(List.of("-f", "ffmetadata", "-i", meta.toString(), "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1",
                    "-c:a", "aac", "-b:a", o.aacBitrateKbps() + "k", "-movflags", "+faststart", "-f", "ipod"));
            AtomicFiles.writeVia(target, temp -> {
                List<String> a = new ArrayList<>(args);
                a.add(temp.toString());
                try (FloatReader in = source.open()) {
                    ff.run(a, 6 * 3600, in);
                }
            });
        } finally {
            Files.deleteIfExists(meta);
        }
    }

    /** ffmpeg's metadata file: title plus one [CHAPTER] per marker, in milliseconds. */
    static String ffmetadata(String title, List<Chapter> chapters, double totalSeconds) {
        StringBuilder sb = new StringBuilder(";FFMETADATA1\n");
        if (title != null) sb.append("title=").append(escape(title)).append('\n');
        List<Chapter> sorted = new ArrayList<>(chapters);
        sorted.sort(java.util.Comparator.comparingDouble(Chapter::startSeconds));
        for (int i = 0; i < sorted.size(); i++) {
            long start = Math.round(sorted.get(i).startSeconds() * 1000);
            long end = Math.round((i + 1 < sorted.size() ? sorted.get(i + 1).startSeconds() : totalSeconds) * 1000);
            if (start < 0 || end <= start)
                throw new IllegalArgumentException("chapter '" + sorted.get(i).title() + "' starts at " + sorted.get(i).startSeconds()
                        + " s, outside the audio (0 .. " + totalSeconds + " s) or at the same time as the next");
            sb.append("[CHAPTER]\nTIMEBASE=1/1000\nSTART=").append(start).append("\nEND=").append(end)
                    .append("\ntitle=").append(escape(sorted.get(i).title())).append('\n');
        }
        return sb.toString();
    }

    static String escape(String s) {
        return s.replaceAll("([=;#\\\\\n])", "\\\\$1");
    }
}
