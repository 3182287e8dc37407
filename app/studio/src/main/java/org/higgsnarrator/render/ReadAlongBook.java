package org.higgsnarrator.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.book.ReadAlongEpub;
import org.higgsnarrator.project.Project;

/** A rendered project as a read-along EPUB ({@link ReadAlongEpub}): each chapter's lossless audio encoded to MP3 once. */
final class ReadAlongBook {
    private ReadAlongBook() {}

    static void write(Project p, List<BookRender.ChapterOutput> outputs, Path cover, Path target, Path work) throws IOException {
        List<ReadAlongEpub.Chapter> chapters = new ArrayList<>();
        for (BookRender.ChapterOutput o : outputs) {
            String id = p.chapters().get(o.number() - 1).id();
            Path flac = work.resolve(id + ".flac");
            Path mp3 = work.resolve(id + ".mp3");
            // The MP3 is re-made when the chapter's audio is newer (it was rendered again).
            if (!Files.isRegularFile(mp3) || Files.getLastModifiedTime(mp3).compareTo(Files.getLastModifiedTime(flac)) < 0) {
                new AudioExporter().export(AudioReader.read(flac), mp3, AudioExporter.Format.MP3);
            }
            chapters.add(new ReadAlongEpub.Chapter(o.title(), mp3, o.cues()));
        }
        String title = p.title().isBlank() ? "Audiobook" : p.title();
        ReadAlongEpub.write(new ReadAlongEpub.Meta(title, p.book().author(), p.book().language(), cover), chapters, target);
    }
}
