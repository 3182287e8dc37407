package org.higgsnarrator.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.io.AtomicFiles;

/**
 * Writes an audiobook M4B from chapter files already on disk (all of one format, e.g. the FLACs a book render keeps)
 * without loading them: ffmpeg's concat demuxer reads them in turn, AAC is encoded once, and the file gets a chapter
 * marker per chapter, title/author/album tags, genre Audiobook and the cover as an attached picture. Atomic, like
 * every export ({@link AtomicFiles}).
 */
public final class AudiobookWriter {
    /**
     * @param title  book title (title and album tags)
     * @param author author(s) (artist and album-artist tags), "" for none
     * @param cover  JPEG or PNG cover image, or null
     */
    public record Tags(String title, String author, Path cover) {}

    private final AudioOptions options;

    public AudiobookWriter(AudioOptions options) {
        this.options = options;
    }

    /**
     * @param chapterFiles one audio file per chapter, in order, all of the same codec and rate
     * @param titles       chapter titles
     * @param seconds      each chapter's length (the markers are placed from these)
     */
    public void writeM4b(List<Path> chapterFiles, List<String> titles, List<Double> seconds, Tags tags, Path target) throws IOException {
        if (chapterFiles.isEmpty() || chapterFiles.size() != titles.size() || titles.size() != seconds.size())
            throw new IllegalArgumentException("need one title and length per chapter file");
        Ffmpeg ff = Ffmpeg.find().orElseThrow(() -> new IOException("writing " + target.getFileName() + " (M4B audiobook) needs ffmpeg, which was not found: "
                + Ffmpeg.INSTALL_HINT));
        List<AudioExporter.Chapter> marks = new ArrayList<>();
        double at = 0;
        for (int i = 0; i < titles.size(); i++) {
            marks.add(new AudioExporter.Chapter(titles.get(i), at));
            at += seconds.get(i);
        }
        String meta = AudioExporter.ffmetadata(tags.title(), marks, at);
        StringBuilder extra = new StringBuilder("album=").append(AudioExporter.escape(tags.title())).append("\ngenre=Audiobook\n");
        if (tags.author() != null && !tags.author().isBlank()) {
            String a = AudioExporter.escape(tags.author());
            extra.append("artist=").append(a).append("\nalbum_artist=").append(a).append('\n');
        }
        int firstChapter = meta.indexOf("[CHAPTER]");
        meta = meta.substring(0, firstChapter) + extra + meta.substring(firstChapter);
        Path list = Files.createTempFile("narrator-concat-", ".txt");
        Path metaFile = Files.createTempFile("narrator-book-", ".txt");
        try {
            StringBuilder l = new StringBuilder("ffconcat version 1.0\n");
            for (Path f : chapterFiles) l.append("file '").append(f.toAbsolutePath().toString().replace("'", "'\\''")).append("'\n");
            Files.writeString(list, l, StandardCharsets.UTF_8);
            Files.writeString(metaFile, meta, StandardCharsets.UTF_8);
            List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list.toString(),
                    "-f", "ffmetadata", "-i", metaFile.toString()));
            boolean cover = tags.cover() != null && Files.isRegularFile(tags.cover());
            if (cover) args.addAll(List.of("-i", tags.cover().toString()));
            args.addAll(List.of("-map", "0:a"));
            if (cover) args.addAll(List.of("-map", "2:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"));
            args.addAll(List.of("-map_metadata", "1", "-map_chapters", "1", "-c:a", "aac", "-b:a", options.aacBitrateKbps() + "k",
                    "-movflags", "+faststart", "-f", "ipod"));
            AtomicFiles.writeVia(target, temp -> {
                List<String> a = new ArrayList<>(args);
                a.add(temp.toString());
                ff.run(a, 6 * 3600);
            });
        } finally {
            Files.deleteIfExists(list);
            Files.deleteIfExists(metaFile);
        }
    }
}
