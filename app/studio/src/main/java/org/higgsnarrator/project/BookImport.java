package org.higgsnarrator.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.book.Book;
import org.higgsnarrator.io.AtomicFiles;

/**
 * A book ({@link org.higgsnarrator.book.BookReader}) as a new project: one chapter per narrated book chapter, its
 * cleaned text as the script, the quiet-room scene, one narrator speaker (voice left to the model), the cover copied
 * into the assets folder and the metadata kept in {@link Project.BookInfo}.
 */
public final class BookImport {
    private BookImport() {}

    /**
     * @param withMatter also import front and back matter (cover text, contents, acknowledgements…)
     * @return the project, already saved to {@code projectFile} (with its assets folder)
     */
    public static Project create(Book book, Path source, Path projectFile, boolean withMatter) throws IOException {
        List<Book.Chapter> chosen = book.narrated(withMatter);
        Project base = Project.create(book.title());
        String scene = base.chapters().getFirst().scene();
        List<Project.Chapter> chapters = new ArrayList<>();
        for (Book.Chapter c : chosen) chapters.add(new Project.Chapter(Project.newId(), c.title(), scene, c.script(), List.of()));
        Path assets = ProjectStore.assetsDir(projectFile);
        Files.createDirectories(assets);
        String cover = null;
        if (book.cover() != null) {
            cover = "cover." + book.cover().extension();
            byte[] data = book.cover().data();
            AtomicFiles.write(assets.resolve(cover), out -> out.write(data));
        }
        Project p = new Project(Project.FORMAT_VERSION, book.title(), base.speakers(), List.of(), chapters, base.settings(),
                new Project.BookInfo(book.author(), book.language(), cover, source.toAbsolutePath().toString()), List.of());
        ProjectStore.save(p, projectFile);
        return p;
    }
}
