package org.higgsnarrator.ui.service;

import org.higgsnarrator.audio.AudioClip;
import java.util.concurrent.CancellationException;

/** A running render. */
public interface RenderTask {
    /** Asks the render to stop soon; {@link #await()} then throws {@link CancellationException}. */
    void cancel();

    /**
     * Waits for the end of the render and returns the whole take (the same samples the listener received).
     *
     * @throws CancellationException after {@link #cancel()}
     * @throws Exception             what went wrong, with a message for the user
     */
    AudioClip await() throws Exception;
}
