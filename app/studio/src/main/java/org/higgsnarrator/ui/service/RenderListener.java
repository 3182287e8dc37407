package org.higgsnarrator.ui.service;

/** Receives a render's output as it is produced (called on the rendering thread). */
public interface RenderListener {
    /** A piece of decoded audio, 24 kHz mono, in order; the chunks together are the whole take. */
    void onAudio(float[] pcm);

    /**
     * @param framesDone frames generated so far (25 frames = 1 s of audio)
     * @param maxFrames  the limit for this segment (generation usually stops earlier, at the end of the text)
     */
    void onProgress(int framesDone, int maxFrames);
}
