package org.higgsnarrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.higgsnarrator.book.Book;
import org.higgsnarrator.book.BookReader;
import org.higgsnarrator.project.BookImport;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;

/** {@code ./narrator import}: a book file (EPUB, DOCX, Markdown, text) → a studio project, one chapter per chapter. */
public final class ImportCommand implements Command {
    @Override
    public String name() {
        return "import";
    }

    @Override
    public String summary() {
        return "Import a book (EPUB, DOCX, Markdown, text) as a project.";
    }

    @Override
    public String usage() {
        return """
                Usage: ./narrator import BOOK --out PROJECT.narrator [--with-matter] [--force]

                Reads BOOK and writes a project the studio opens (and 'render' renders): one chapter per book chapter,
                titled from the table of contents or the headings, the text cleaned for narration (footnote markers,
                page numbers, hyphenation at line ends, soft hyphens, non-breaking spaces), title, author and cover kept.

                  BOOK            .epub (EPUB 2 or 3, DRM-free), .docx (chapters at Heading 1/2… styles), .md (chapters at
                                  # headings), .txt (chapters at lines like 'Chapter 12' or '* * *' separators)
                  --out FILE      the project to write (.narrator is added when missing); its audio goes to FILE.assets/
                  --with-matter   also import front and back matter (cover, contents, copyright, acknowledgements…),
                                  which is recognised and left out by default
                  --force         replace an existing project file""";
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(Set.of("out", "with-matter", "force"));
        if (args.positionals().size() != 1) throw new Args.UsageException("give exactly one book file");
        Path in = Path.of(args.positionals().getFirst());
        Path out = args.path("out");
        if (out == null) throw new Args.UsageException("missing required option --out PROJECT.narrator");
        out = ProjectStore.withExtension(out);
        if (Files.exists(out) && !args.has("force"))
            throw new Args.UsageException(out + " exists; choose another --out or add --force to replace it");
        Book book = new BookReader().read(in);
        boolean withMatter = args.has("with-matter");
        Project p = BookImport.create(book, in, out, withMatter);
        System.out.printf("imported %s: \"%s\"%s, %d chapter(s) → %s%n", in.getFileName(), book.title(),
                book.author().isEmpty() ? "" : " by " + book.author(), p.chapters().size(), out);
        int i = 0;
        for (Book.Chapter c : book.chapters()) {
            boolean in_ = withMatter || book.narrated(false).contains(c);
            System.out.printf("  %s %-40s %6d words%s%n", in_ ? String.format("%3d", ++i) : "  -", c.title(), c.words(),
                    in_ ? "" : "  (" + c.matter().name().toLowerCase(java.util.Locale.ROOT) + " matter, skipped)");
        }
        if (book.cover() != null) System.out.println("  cover: " + p.book().cover() + " (" + book.cover().mediaType() + ")");
        for (String n : book.notes()) System.out.println("  note: " + n);
        if (!withMatter && book.narrated(false).size() < book.chapters().size())
            System.out.println("  note: front/back matter was left out; --with-matter imports it too");
        return 0;
    }
}
