package org.higgsnarrator.book;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be imported as a book: the message names the file, the problem and what to do. */
public final class BookFormatException extends IOException {
    public BookFormatException(Path file, String problem) {
        super(file.getFileName() + ": " + problem);
    }

    public BookFormatException(Path file, String problem, Throwable cause) {
        super(file.getFileName() + ": " + problem, cause);
    }
}
