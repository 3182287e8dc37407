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
     * MP3 is resampled and encoded block by block, M4B/M4A are encoded by ffmpeg reading the floats directly.
     */
    public void exportFloatFile(Path floats, int sampleRate, Path target, Format format) throws IOException {
        long n = Files.size(floats) / 4;
        switch (format) {
            case WAV16 -> AtomicFiles.write(target, out -> WavCodec.writeFromFloatFile(floats, sampleRate, 16, out));
            case WAV24 -> AtomicFiles.write(target, out -> WavCodec.writeFromFloatFile(floats, sampleRate, 24, out));
            case FLAC -> AtomicFiles.write(target, out -> FlacEncoder.write(1, sampleRate, n, () -> FloatReader.open(floats), 16, out));
            case FLAC24 -> AtomicFiles.write(target, out -> FlacEncoder.write(1, sampleRate, n, () -> FloatReader.open(floats), 24, out));
            case MP3 -> AtomicFiles.write(target, out -> {
                try (FloatReader in = FloatReader.open(floats); Mp3Stream mp3 = new Mp3Stream(o.mp3SampleRate(), 1, out)) {
                    if (sampleRate == o.mp3SampleRate()) {
                        float[] block = new float[8192];
                        for (int r; (r = in.read(block, 0, block.length)) >= 0; ) mp3.accept(block, r);
                    } else {
                        new Resampler(sampleRate, o.mp3SampleRate()).process(in, n, mp3::accept);
                    }
                }
            });
            case M4B, M4A -> writeAac(List.of("-f", "f32le", "-ar", String.valueOf(sampleRate), "-ac", "1", "-i", floats.toString()), target,
                    null, List.of(), (double) n / sampleRate);
        }
    }

    /**
     * Joins chapters into one file with a chapter marker at the start of each (markers are kept by M4B/M4A). Chapters
     * are converted to the first one's sample rate; if their channel counts differ, all are mixed down to mono.
     */
    public void exportBook(List<AudioClip> chapterAudio, List<String> titles, Path target, Format format, String bookTitle) throws IOException {
        if (chapterAudio.isEmpty() || chapterAudio.size() != titles.size())
            throw new IllegalArgumentException("need one title per chapter, got " + chapterAudio.size() + " chapters and " + titles.size() + " titles");
        int rate = chapterAudio.getFirst().sampleRate();
        boolean mono = chapterAudio.stream().mapToInt(AudioClip::channels).distinct().count() > 1;
        List<AudioClip> parts = new ArrayList<>();
        List<Chapter> marks = new ArrayList<>();
        long frames = 0;
        for (int i = 0; i < chapterAudio.size(); i++) {
            AudioClip c = Resampler.resample(mono ? chapterAudio.get(i).toMono() : chapterAudio.get(i), rate);
            marks.add(new Chapter(titles.get(i), frames / (double) rate));
            frames += c.frames();
            parts.add(c);
        }
        int channels = parts.getFirst().channels();
        float[] all = new float[Math.toIntExact(frames * channels)];
        int at = 0;
        for (AudioClip c : parts) {
            System.arraycopy(c.samples(), 0, all, at, c.samples().length);
            at += c.samples().length;
        }
        export(new AudioClip(all, rate, channels), target, format, bookTitle, marks);
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
        Path wav = Files.createTempFile("narrator-export-", ".wav");
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(wav))) {
                WavCodec.write(clip, 32, out);
            }
            writeAac(List.of("-i", wav.toString()), target, title, chapters, clip.seconds());
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** AAC in an MP4 container through ffmpeg, from its input arguments ({@code -i FILE} and what describes FILE). */
    private void writeAac(List<String> input, Path target, String title, List<Chapter> chapters, double seconds) throws IOException {
        Ffmpeg ff = Ffmpeg.find().orElseThrow(() -> new IOException(
                "writing " + target.getFileName() + " (M4B/M4A, AAC) needs ffmpeg, which was not found: " + Ffmpeg.INSTALL_HINT
                        + "; or export WAV, FLAC or MP3 instead"));
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
                ff.run(a, 6 * 3600);
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
