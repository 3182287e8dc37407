package org.higgsnarrator.book;

import java.util.List;
import java.util.Objects;

/**
 * A book read from an EPUB, DOCX, Markdown or plain-text file, cleaned for narration ({@link NarrationText}).
 *
 * @param title    the book's title (metadata, else the first heading, else the file name)
 * @param author   author(s) as the file names them, "" when unknown
 * @param language BCP 47 tag from the metadata, "" when unknown
 * @param cover    the cover image, or null
 * @param chapters in reading order, front and back matter included and marked ({@link Matter})
 * @param notes    what the reader dropped, guessed or could not use, one sentence each (shown to the user)
 */
public record Book(String title, String author, String language, Cover cover, List<Chapter> chapters, List<String> notes) {
    public Book {
        title = title == null ? "" : title.strip();
        author = author == null ? "" : author.strip();
        language = language == null ? "" : language.strip();
        chapters = List.copyOf(chapters);
        notes = List.copyOf(notes);
    }

    /** The chapters to narrate: the body, or every chapter when {@code withMatter} (or when nothing is marked body). */
    public List<Chapter> narrated(boolean withMatter) {
        if (withMatter || chapters.stream().noneMatch(c -> c.matter() == Matter.BODY)) return chapters;
        return chapters.stream().filter(c -> c.matter() == Matter.BODY).toList();
    }

    /** Where a chapter sits in the book; front and back matter are recognised so that an import can skip them. */
    public enum Matter {
        /** Cover, title page, copyright, contents, dedication, foreword, preface… */
        FRONT,
        /** The story or the text proper (prologue and epilogue included). */
        BODY,
        /** Acknowledgements, afterword, notes, appendix, index, about the author… */
        BACK
    }

    /**
     * @param title      the chapter's title (from the table of contents, a heading, or "Chapter N")
     * @param paragraphs the text to speak, one paragraph per entry (a spoken heading included), cleaned
     * @param matter     front, body or back matter
     * @param source     where it came from in the file (an EPUB document's path, "heading 3"…), for messages
     */
    public record Chapter(String title, List<String> paragraphs, Matter matter, String source) {
        public Chapter {
            title = title == null ? "" : title.strip();
            paragraphs = List.copyOf(paragraphs);
            Objects.requireNonNull(matter, "matter");
            source = source == null ? "" : source;
        }

        /** The chapter as a script: paragraphs separated by blank lines (docs/text.md "Script syntax"). */
        public String script() {
            return String.join("\n\n", paragraphs);
        }

        public int words() {
            int n = 0;
            for (String p : paragraphs) n += p.isBlank() ? 0 : p.strip().split("\\s+").length;
            return n;
        }
    }

    /** @param mediaType e.g. image/jpeg; @param extension file extension without the dot, from the media type */
    public record Cover(String mediaType, byte[] data) {
        public String extension() {
            return switch (mediaType == null ? "" : mediaType.toLowerCase(java.util.Locale.ROOT)) {
                case "image/png" -> "png";
                case "image/gif" -> "gif";
                case "image/webp" -> "webp";
                case "image/svg+xml" -> "svg";
                default -> "jpg";
            };
        }
    }
}
