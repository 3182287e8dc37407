package org.higgsnarrator.ui.service;

import org.higgsnarrator.engine.Progress;

/** Receives a render's output as it is produced (called on the rendering thread). */
public interface RenderListener {
    /** A piece of decoded audio, 24 kHz mono, in order; the chunks together are the whole take. */
    void onAudio(float[] pcm);

    /**
     * The engine's progress (frames, audio seconds, ×real-time, ETA, fraction): the one place they are computed; the
     * studio shows them as they are.
     */
    void onProgress(Progress progress);

    /** Before generation: {@code done} of {@code total} chunks were finished by an earlier, stopped run and are not rendered again. */
    default void onResume(int done, int total) {}

    /** For renders whose result is all the caller wants (previews, "try it"). */
    RenderListener IGNORE = new RenderListener() {
        @Override
        public void onAudio(float[] pcm) {}

        @Override
        public void onProgress(Progress progress) {}
    };
}
