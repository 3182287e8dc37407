package org.higgsnarrator.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.RenderCheckpoint;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.lexicon.Lexicon;
import org.higgsnarrator.serve.RemoteRenderer;
import org.higgsnarrator.serve.RenderServer;

/** {@code narrate --server URL …}: the chunks go to Higgs Audio servers ({@code narrator serve} or Boson's image) instead of the local engine. */
final class RemoteNarrate {
    private RemoteNarrate() {}

    static int run(Args args, String script, Map<String, NarrateCommand.VoiceArg> clips, Map<String, String> profiles, GenerationOptions options,
                   Lexicon lexicon, Map<String, String> labels, Path out, AudioExporter.Format format) throws Exception {
        String key = args.get("api-key", System.getenv("NARRATOR_API_KEY"));
        List<RenderServer> servers = new ArrayList<>();
        for (String url : args.all("server")) servers.add(new RenderServer(url, key, Duration.ofMinutes(30)));
        boolean quiet = args.has("quiet");
        PrintStream err = System.err;
        List<RemoteRenderer.ClipVoice> voices = new ArrayList<>();
        for (NarrateCommand.VoiceArg v : clips.values()) voices.add(new RemoteRenderer.ClipVoice(v.name(), v.clip(), v.transcript()));
        int slots = args.getInt("server-slots", 1);
        if (slots < 1) throw new Args.UsageException("--server-slots must be ≥ 1, got " + slots);
        RemoteRenderer renderer = new RemoteRenderer(servers, slots, Duration.ofMinutes(5));
        // the chunks received are kept beside the output until it is written: the same command resumes there
        Path parts = RenderCheckpoint.folderFor(out);
        RemoteRenderer.Result r = renderer.render(script, voices, profiles, NarrateCommand.scene(args.all("scene")), options, lexicon,
                new RemoteRenderer.Listener() {
            @Override
            public void onResume(int done, int count) {
                synchronized (err) {
                    err.printf("resuming: %d of %d chunks already received (kept in %s; --fresh starts over)%n", done, count, parts);
                }
            }

            @Override
            public void onChunkStart(int index, int count, ScriptChunk chunk, RenderServer server) {
                if (quiet) return;
                synchronized (err) {
                    err.printf("chunk %d/%d (%s, voice %s, %d words) → %s%n", index + 1, count, chunk.speaker(),
                            labels.getOrDefault(chunk.speaker(), "model's choice"), chunk.words(), server);
                }
            }

            @Override
            public void onChunkDone(int index, int count, ScriptChunk chunk, RenderServer server, double seconds) {
                if (quiet) return;
                synchronized (err) {
                    err.printf("chunk %d/%d done on %s (%.1f s of audio)%n", index + 1, count, server, seconds);
                }
            }

            @Override
            public void onServerFailed(int index, RenderServer server, String reason) {
                synchronized (err) {
                    err.printf("warning: chunk %d failed on %s: %s; it goes back to the queue%n", index + 1, server, reason);
                }
            }
        }, parts, args.has("fresh"));
        NarrateCommand.write(out, format, r.pcm(), r.sampleRate());
        RenderCheckpoint.delete(parts);
        if (!quiet) System.err.printf("wrote %s (%.1f s of audio, %d chunks on %d server%s)%n", out, r.seconds(), r.chunks().size(), servers.size(),
                servers.size() == 1 ? "" : "s");
        return 0;
    }
}
