package org.higgsnarrator.ui.service;

import java.io.IOException;

/**
 * A render on a server failed because of the server (unreachable, overloaded, failing, or refusing this client's key),
 * not because of the segment: another server or this computer may render it. The chunks received before the failure
 * are kept in the render's checkpoint folder.
 */
public final class ServerUnavailableException extends IOException {
    private final RemoteServer server;

    public ServerUnavailableException(RemoteServer server, String message, Throwable cause) {
        super(message, cause);
        this.server = server;
    }

    public RemoteServer server() {
        return server;
    }
}
