package org.higgsnarrator.models;

import java.io.IOException;

/** A hub answer that retrying will not fix: missing repository or file, no access, checksum mismatch. */
public final class HubException extends IOException {
    public HubException(String message) {
        super(message);
    }
}
