package org.higgsnarrator.render;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.Resampler;
import org.higgsnarrator.engine.Voice;
import org.higgsnarrator.serve.RemoteRenderer;
import org.higgsnarrator.serve.RenderServer;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.RenderListener;
import org.higgsnarrator.ui.service.RenderRequest;
import org.higgsnarrator.ui.service.RenderTask;

/**
 * {@code ./narrator render --server URL…}: each segment of the book rendered on Higgs Audio servers through the
 * engine's remote backend ({@link RemoteRenderer}, what {@code narrate --server} uses) instead of the local engine. A
 * segment becomes the request the studio's engine adapter would run (one turn under {@link Voice#NARRATOR}: a cloned
 * voice's clip file and transcript, a described voice's profile, or the model's choice; the chapter's scene; the
 * project's settings with the take's seed), so on {@code narrator serve} with the same package a take equals the local
 * one. Up to servers × slots segments render at once ({@link #parallelism}), each starting on the next server in turn;
 * a segment's chunks (and a failing server's work) are spread over the servers as {@link RemoteRenderer} does.
 *
 * <p>Takes are recorded under the served model's id ({@code GET /v1/models}) with "/server" in the segment hash, so
 * they are not mistaken for takes of a local package. The segment's pronunciation rules (chapter and voice rules
 * selected by {@link SegmentPlan}) are applied to each chunk before its request is written, as a local render applies
 * them ({@code engine.LexiconStep} inside {@link RemoteRenderer}).
 */
public final class RemoteSegments implements BookRender.SegmentRenderer {
    private final List<RenderServer> servers;
    private final int slots;
    private final String model;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Asks the servers for the model they serve (and so checks the key) before anything renders.
     *
     * @throws IOException naming each server and why none can be used
     */
    public RemoteSegments(List<RenderServer> servers, int slots) throws IOException {
        if (servers.isEmpty()) throw new IllegalArgumentException("no render server given");
        this.servers = List.copyOf(servers);
        this.slots = slots;
        String m = null;
        StringBuilder why = new StringBuilder();
        for (RenderServer s : servers) {
            try {
                m = s.model();
                break;
            } catch (RenderServer.Failure f) {
                why.append("\n  ").append(s).append(": ").append(f.getMessage());
            }
        }
        if (m == null) throw new IOException("no render server can be used:" + why);
        this.model = m;
    }

    @Override
    public BackendInfo backend() {
        return new BackendInfo(model, null, false, null, null, "render servers " + servers, 0, true, null);
    }

    /** A segment per request in flight: servers × slots at once. */
    @Override
    public int parallelism() {
        return servers.size() * slots;
    }

    @Override
    public String modelId() {
        return model + "/server";
    }

    @Override
    public RenderTask render(RenderRequest r, RenderListener listener) {
        Segment seg = Segment.of(r);
        return new RenderTask() {
            private volatile Thread worker;
            private volatile boolean cancelled;

            @Override
            public void cancel() {
                cancelled = true;
                Thread t = worker;
                if (t != null) t.interrupt();
            }

            @Override
            public AudioClip await() throws Exception {
                if (cancelled) throw new CancellationException("render cancelled");
                worker = Thread.currentThread();
                try {
                    RemoteRenderer.Result res = new RemoteRenderer(rotated(), slots, Duration.ofMinutes(5))
                            .render(seg.text(), seg.clips(), seg.profiles(), seg.scene(), r.settings().toOptions(r.seed()), r.lexicon(), null, null, false);
                    AudioClip clip = Resampler.resample(new AudioClip(res.pcm(), res.sampleRate()), NarrationService.RATE);
                    listener.onAudio(clip.samples());
                    return clip;
                } catch (InterruptedException e) {
                    if (cancelled) throw new CancellationException("render cancelled");
                    throw e;
                } finally {
                    worker = null;
                    if (cancelled) Thread.interrupted(); // the interrupt was for this render only
                }
            }
        };
    }

    /** The servers, starting one further each call: segments rendered at once start on different servers. */
    private List<RenderServer> rotated() {
        int k = Math.floorMod(next.getAndIncrement(), servers.size());
        List<RenderServer> r = new java.util.ArrayList<>(servers.subList(k, servers.size()));
        r.addAll(servers.subList(0, k));
        return r;
    }

    /**
     * A segment as {@link RemoteRenderer} takes it — the one translation for {@code render --server} and the studio's
     * render servers: one turn under {@link Voice#NARRATOR} (lines joined as the engine adapter joins them), a cloned
     * voice's clip file and transcript or a described voice's profile, the chapter's scene.
     */
    public record Segment(String text, List<RemoteRenderer.ClipVoice> clips, Map<String, String> profiles, List<String> scene) {
        public static Segment of(RenderRequest r) {
            String text = r.text().replaceAll("\\s*\\n\\s*", " ").strip();
            List<RemoteRenderer.ClipVoice> clips = List.of();
            Map<String, String> profiles = Map.of();
            switch (r.voice()) {
                case RenderRequest.VoiceRef.Cloned c -> clips = List.of(new RemoteRenderer.ClipVoice(Voice.NARRATOR, c.clip(), c.transcript()));
                case RenderRequest.VoiceRef.Described d -> profiles = Map.of(Voice.NARRATOR, d.description());
                case RenderRequest.VoiceRef.ModelChoice m -> { }
            }
            String scene = r.scene() == null ? "" : r.scene().strip();
            return new Segment(text, clips, profiles, scene.isEmpty() ? List.of() : List.of(scene));
        }
    }

}
