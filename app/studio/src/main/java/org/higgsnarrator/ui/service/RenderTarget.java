package org.higgsnarrator.ui.service;

import java.nio.file.Path;

/**
 * Where a segment renders and where its finished chunks are kept while it does.
 *
 * @param server     null: this computer's engine; else the render server
 * @param checkpoint folder that keeps the finished chunks until the take is stored, so that a render stopped by a
 *                   crash, a kill or a closed studio resumes there (engine: {@code RenderCheckpoint}, servers:
 *                   {@code RemoteRenderer}'s received chunks); null: nothing kept
 */
public record RenderTarget(RemoteServer server, Path checkpoint) {
    public static RenderTarget local(Path checkpoint) {
        return new RenderTarget(null, checkpoint);
    }

    public boolean isLocal() {
        return server == null;
    }
}
