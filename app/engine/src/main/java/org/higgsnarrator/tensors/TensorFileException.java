package org.higgsnarrator.tensors;

/** A tensor file that cannot be used as it is; the message names the file, the tensor and what to do. */
public class TensorFileException extends RuntimeException {
    public TensorFileException(String message) {
        super(message);
    }

    public TensorFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
