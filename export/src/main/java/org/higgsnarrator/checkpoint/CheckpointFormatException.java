package org.higgsnarrator.checkpoint;

/** A checkpoint that the converter cannot use; the message names the file/field and what to do. */
public class CheckpointFormatException extends RuntimeException {
    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
