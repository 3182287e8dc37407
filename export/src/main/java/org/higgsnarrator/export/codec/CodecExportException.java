package org.higgsnarrator.export.codec;

/** The audio tokenizer checkpoint cannot be converted; the message names the file, tensor or field and what to do. */
public final class CodecExportException extends RuntimeException {
    public CodecExportException(String message) {
        super(message);
    }

    public CodecExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
