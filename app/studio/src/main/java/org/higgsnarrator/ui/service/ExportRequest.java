package org.higgsnarrator.ui.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.audio.FloatReader;

/**
 * Audio to write to one file.
 *
 * @param chapters in order; each one's audio is its segments' chosen takes, read from their files when the export
 *                 reaches them
 * @param title    album / book title tag
 * @param format   one of {@link NarrationService#exportFormats()}
 * @param target   output file
 */
public record ExportRequest(List<ChapterAudio> chapters, String title, ExportFormat format, Path target) {
    public ExportRequest {
        chapters = List.copyOf(chapters);
    }

    /**
     * @param title chapter marker title
     * @param takes the chosen takes' audio files in script order, joined with {@link NarrationService#TAKE_GAP} of
     *              silence between consecutive takes, as the player joins them
     */
    public record ChapterAudio(String title, List<Path> takes) {
        public ChapterAudio {
            takes = List.copyOf(takes);
        }
    }

    /** Decodes one take file to 24 kHz mono ({@link NarrationService#readAudio}). */
    @FunctionalInterface
    public interface TakeReader {
        AudioClip read(Path file) throws IOException;
    }

    /**
     * The chapters as the engine's streaming book export reads them: one take decoded at a time, when the export
     * reaches it. The lengths (for the chapter marks) come from a first pass that decodes each take and keeps only
     * its length.
     */
    public List<AudioExporter.ChapterSource> sources(TakeReader read) throws IOException {
        List<AudioExporter.ChapterSource> out = new ArrayList<>();
        for (ChapterAudio c : chapters) {
            List<FloatReader.Source> parts = new ArrayList<>();
            long frames = 0;
            for (Path take : c.takes()) {
                if (!parts.isEmpty()) {
                    parts.add(() -> FloatReader.silence(NarrationService.TAKE_GAP));
                    frames += NarrationService.TAKE_GAP;
                }
                frames += mono24k(read.read(take), take).frames();
                parts.add(() -> FloatReader.of(mono24k(read.read(take), take).samples()));
            }
            out.add(new AudioExporter.ChapterSource(c.title(), frames, () -> FloatReader.concat(parts)));
        }
        return out;
    }

    private static AudioClip mono24k(AudioClip c, Path file) throws IOException {
        if (c.channels() != 1 || c.sampleRate() != NarrationService.RATE)
            throw new IOException(file + ": a take must be mono at " + NarrationService.RATE + " Hz, this one is " + c.channels()
                    + " channels at " + c.sampleRate() + " Hz; render the segment again");
        return c;
    }
}
