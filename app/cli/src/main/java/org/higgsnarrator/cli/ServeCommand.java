package org.higgsnarrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.serve.ChatRequest;
import org.higgsnarrator.serve.NarratorServer;

/** {@code ./narrator serve}: the Higgs Audio server API (as Boson's higgs-audio-vllm image) on this machine's engine. */
public final class ServeCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("port", "host", "api-key", "voices", "model", "max-concurrent", "batching", "max-queue", "max-body-mb", "device", "bench", "bench-requests", "bench-frames");

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "Serve the Higgs Audio API (chat completions, speech) for other machines.";
    }

    @Override
    public String usage() {
        return """
                Usage: ./narrator serve [options]

                Serves the API of Boson's Higgs Audio server (the bosonai/higgs-audio-vllm image) on this machine's
                model package, so that clients written for that server, and other Higgs Narrator installs
                (narrate --server, the studio's render servers), render here. Routes: GET /health, GET /v1/models,
                POST /v1/chat/completions (streaming or not), POST /v1/audio/speech, GET /v1/audio/voices.
                Stops with Ctrl+C. See docs/serving.md.

                Options:
                  --port N               TCP port (default 8000)
                  --host ADDR            address to listen on (default 127.0.0.1: this machine only;
                                         0.0.0.0 for the network — then set --api-key)
                  --api-key KEY          require "Authorization: Bearer KEY" on /v1/* (default: the
                                         NARRATOR_API_KEY environment variable, else none)
                  --voices DIR           voice presets for /v1/audio/speech: DIR/config.json
                                         {"name": {"transcript": "...", "audio_file": "name.wav"}}
                  --model DIR            model package (default: onnx-models/tiny under the install directory)
                  --max-concurrent N     requests generating at once = the batch size: their decode steps
                                         run together as one batched step (default 1)
                  --batching on|off      off: each request decoded on its own, one sequence per step
                                         (default on where the model can batch)
                  --max-queue N          admitted requests waiting for a slot; more get 429 (default 8)
                  --max-body-mb N        largest request body in MiB; larger get 413 (default 32)
                  --device auto|cpu|cuda where to run (default auto)

                Benchmark (serves on a free loopback port, measures, exits):
                  --bench 1,2,4          concurrent clients per round; prints requests/s, seconds of audio
                                         per second and the time to the first streamed audio byte
                  --bench-requests N     streamed requests per client per round (default 3)
                  --bench-frames N       frame limit per request, 25 per second (default 100)
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(OPTIONS);
        if (!args.positionals().isEmpty()) throw new Args.UsageException("serve takes no positional arguments, got " + args.positionals());
        int port = args.getInt("port", 8000);
        if (port < 0 || port > 65535) throw new Args.UsageException("--port must be 0…65535, got " + port);
        Path model = args.has("model") ? args.path("model") : Path.of(System.getProperty("narrator.home", ".")).resolve("onnx-models/tiny");
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model package " + model + " not found; pass --model DIR (a folder made by ./narrator export)");
        Path voices = args.has("voices") ? args.path("voices") : null;
        String key = args.get("api-key", System.getenv("NARRATOR_API_KEY"));
        String host = args.get("host", "127.0.0.1");
        List<Integer> bench = new ArrayList<>();
        if (args.has("bench")) {
            for (String n : args.get("bench").split(",")) {
                try {
                    bench.add(Integer.parseInt(n.strip()));
                } catch (NumberFormatException e) {
                    throw new Args.UsageException("--bench expects client counts such as 1,2,4, got '" + args.get("bench") + "'");
                }
            }
            host = "127.0.0.1";
            port = 0;
        }
        int maxConcurrent = args.getInt("max-concurrent", bench.isEmpty() ? 1 : bench.stream().max(Integer::compare).orElse(1));
        String batching = args.get("batching", "on");
        if (!batching.equals("on") && !batching.equals("off")) throw new Args.UsageException("--batching must be on or off, got '" + batching + "'");
        NarratorServer.Config config = new NarratorServer.Config(host, port, key, voices, maxConcurrent, args.getInt("max-queue", 8),
                (long) args.getInt("max-body-mb", 32) << 20, model.toAbsolutePath().normalize().getFileName().toString(), ChatRequest.Limits.DEFAULT,
                batching.equals("on"));
        try (Narrator narrator = NarratorLoader.load(model, Device.parse(args.get("device", "auto")))) {
            if (narrator.info().randomWeights()) {
                System.err.println("note: " + model + " is a random-weight test model: the API works, the audio is not speech");
            }
            if (!bench.isEmpty()) {
                try (NarratorServer server = NarratorServer.start(narrator, config.withApiKey(null), null)) {
                    System.out.printf("narrator serve --bench: model %s on %s, --max-concurrent %d, batching %s, %d requests per client, %d frames each%n",
                            config.modelId(), narrator.info().device(), maxConcurrent, server.batchStats() == null ? "off" : "on", args.getInt("bench-requests", 3), args.getInt("bench-frames", 100));
                    ServeBench.one(java.net.http.HttpClient.newHttpClient(), server.uri(), 8, 0, narrator.sampleRate());   // warm-up
                    ServeBench.run(server.uri(), bench, args.getInt("bench-requests", 3), args.getInt("bench-frames", 100), narrator.sampleRate(), System.out);
                    if (server.batchStats() != null) {
                        var st = server.batchStats();
                        System.out.printf("batched decoding: %d decode steps advanced %d sequence-steps (mean batch %.2f, largest %d), %d requests joined a running batch%n",
                                st.batchSteps(), st.sequenceSteps(), st.batchSteps() == 0 ? 0.0 : (double) st.sequenceSteps() / st.batchSteps(), st.largestBatch(), st.joinedMidFlight());
                    }
                }
                return 0;
            }
            NarratorServer server = NarratorServer.start(narrator, config, System.err::println);
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stop.countDown();
            }, "narrator-serve-shutdown"));
            boolean open = !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1"));
            System.err.printf("narrator serve: %s on %s (%s), model %s, %s%s%s; Ctrl+C stops%n", server.uri(), narrator.info().device(), narrator.info().reason(),
                    config.modelId(), server.batchStats() != null ? "up to " + maxConcurrent + " requests decoded together" : maxConcurrent + " request(s) at once, each decoded on its own", key == null ? ", no API key" : ", API key required",
                    open && key == null ? " — WARNING: listening beyond this machine without --api-key" : "");
            // The one line a supervisor (or a test) waits for:
            System.out.println("listening " + server.uri());
            System.out.flush();
            stop.await();
        }
        return 0;
    }
}
