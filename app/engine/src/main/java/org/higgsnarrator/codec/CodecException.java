package org.higgsnarrator.codec;

/** Bad input to the audio tokenizer or a failure of its graphs; the message says what to do. */
public final class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
