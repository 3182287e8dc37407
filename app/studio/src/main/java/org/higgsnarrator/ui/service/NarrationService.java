package org.higgsnarrator.ui.service;

import org.higgsnarrator.audio.AudioClip;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the studio asks of the narration engine, in one place. The studio never calls the engine, codec or
 * audio packages directly; an adapter implements this interface over them (contract: docs/studio.md, "Adapter").
 * {@link NarrationServices#create()} picks the implementation.
 *
 * <p>Threading: the studio calls every method from a background thread (never the FX thread), one call at a time
 * except {@link RenderTask#cancel()}, which may come from any thread while {@link RenderTask#await()} runs, and
 * except renders on servers and server checks, which run on their own threads beside the local work (they use no
 * local model).
 */
public interface NarrationService extends AutoCloseable {
    /** The studio's one sample rate (the codec's): every clip it plays, stores and exports is mono at this rate. */
    int RATE = 24_000;

    /** The silence between consecutive takes of a chapter, where the player and the export join them (250 ms). */
    int TAKE_GAP = RATE / 4;


    /** What is loaded now and whether it can render (never null; before any load: nothing loaded). */
    BackendInfo backend();

    /**
     * Loads (or replaces) the model package. Returns the new backend info; a package that is valid but cannot
     * render is not an error (the info says why). Throws with an actionable message for unreadable packages.
     */
    BackendInfo loadModel(ModelChoice choice) throws IOException;

    /**
     * Prepares a reference clip for cloning: decode (WAV/MP3/FLAC), mix to mono, resample to 24 kHz, trim silence
     * at both ends, write the prepared clip into {@code cacheDir} as WAV, and (where a codec is loaded) encode it
     * once and cache the codes there too, keyed by the clip's content. Same clip → same key, no second encode.
     */
    PreparedVoice prepareVoice(Path source, Path cacheDir) throws IOException;

    /** Decodes any supported audio file to 24 kHz mono samples in [-1, 1] (for waveforms and playback). */
    AudioClip readAudio(Path file) throws IOException;

    /**
     * Starts rendering one segment. Must return quickly; the work runs until {@link RenderTask#await()} returns.
     * Chunks and progress go to {@code listener} from the rendering thread, in order.
     *
     * @throws IllegalStateException when {@link BackendInfo#canRender()} is false (message = the reason)
     */
    RenderTask render(RenderRequest request, RenderListener listener);

    /**
     * How many segments this service decodes together when as many {@link #renderTogether} tasks are awaited at once,
     * on as many threads (a book render): 1, the default, renders one at a time.
     */
    default int segmentsAtOnce() {
        return 1;
    }

    /**
     * As {@link #render(RenderRequest, RenderListener)}, decoded in one batch with the other {@code renderTogether}
     * tasks awaited at the same time, up to {@link #segmentsAtOnce()} of them. A take is the one {@code render} gives.
     */
    default RenderTask renderTogether(RenderRequest request, RenderListener listener) {
        return renderTogether(request, RenderTarget.local(null), listener);
    }

    /**
     * As {@link #render(RenderRequest, RenderTarget, RenderListener)}; on this computer decoded in one batch with the
     * other {@code renderTogether} tasks running at the same time (the render queue's local places).
     */
    default RenderTask renderTogether(RenderRequest request, RenderTarget target, RenderListener listener) {
        return render(request, target, listener);
    }

    /**
     * "New take ×N": {@code takes} takes of one segment, take t rendered with seed {@code request.seed() + t} (what t
     * successive "New take" renders give). The engine prefills the segment once and decodes the takes together as one
     * batch where it can; this default renders them one after the other. Blocking: call it from a background thread.
     */
    default List<AudioClip> renderTakes(RenderRequest request, int takes) throws Exception {
        if (takes < 1) throw new IllegalArgumentException("takes must be at least 1, got " + takes);
        List<AudioClip> out = new java.util.ArrayList<>();
        for (int t = 0; t < takes; t++) out.add(render(request.withSeed(request.seed() + t), RenderListener.IGNORE).await());
        return List.copyOf(out);
    }

    /**
     * Starts rendering one segment on {@code target}: this computer's engine or a render server, keeping the finished
     * chunks in {@code target.checkpoint()} (a render that stopped there before resumes: the listener's
     * {@link RenderListener#onResume} says how far). The caller deletes the folder once the take is stored.
     *
     * @throws IllegalStateException when the target cannot render (message = the reason)
     */
    default RenderTask render(RenderRequest request, RenderTarget target, RenderListener listener) {
        if (!target.isLocal()) throw new IllegalStateException("rendering on servers needs the engine adapter");
        return render(request, listener);
    }

    /**
     * A render server as the user typed it, checked and normalised ({@code gpu-box:8000/v1} → {@code http://gpu-box:8000}).
     *
     * @throws IllegalArgumentException saying what is wrong with the URL
     */
    RemoteServer remoteServer(String url, String apiKey);

    /**
     * Asks the server for {@code GET /health} and {@code GET /v1/models} (with the key): a line for the user saying what
     * it serves, or an exception saying why it cannot be used (unreachable, 401 wrong key, not a Higgs Audio server).
     */
    String checkServer(RemoteServer server) throws IOException;

    /** Audio file formats {@link #exportAudio} can write (always contains WAV). */
    List<ExportFormat> exportFormats();

    /**
     * Writes chapters of 24 kHz mono audio to one file (chapter markers where the format has them), streaming: the
     * take files are read one at a time, the book is never held in memory. Atomic.
     */
    ExportReport exportAudio(ExportRequest request) throws IOException;

    @Override
    void close();
}
