package org.higgsnarrator.models;

/** A package whose files do not match its manifest (corrupt, truncated, edited or incomplete). */
public final class PackageIntegrityException extends RuntimeException {
    public PackageIntegrityException(String message) {
        super(message);
    }
}
