package org.higgsnarrator.audio;

import java.io.IOException;
import java.nio.file.Path;

/** An audio file that cannot be used: the message names the file, what is wrong with it and what to do. */
public final class AudioFileException extends IOException {
    private final Path file;

    public AudioFileException(Path file, String problem, String remedy) {
        super(file + ": " + problem + (remedy == null || remedy.isEmpty() ? "" : ". " + remedy));
        this.file = file;
    }

    public AudioFileException(Path file, String problem, String remedy, Throwable cause) {
        this(file, problem, remedy);
        initCause(cause);
    }

    public Path file() {
        return file;
    }
}
