package org.higgsnarrator.export;

/** A conversion that cannot proceed; the message names the path/field and what to do. */
public class ExportException extends RuntimeException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
