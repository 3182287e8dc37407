package org.higgsnarrator.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.higgsnarrator.config.ReferencePipeline;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.decode.BatchGenerationLoop;
import org.higgsnarrator.decode.GenerationLoop;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;

/**
 * "New take ×N" ({@link Narrator#synthesizeTakes}): N takes of one request, take t with seed {@code seed + t} — what N
 * successive "New take" clicks render one by one. A one-chunk request (a studio segment) on a model that decodes
 * batches is prefilled once and its N takes decoded together ({@link BatchGenerationLoop#takes}); each take gets its own
 * codec stream. Longer scripts (their later chunks depend on each take's earlier ones) and models without batches run
 * the N jobs one after the other.
 */
final class Takes {
    private Takes() {}

    static List<SynthesisResult> run(Narrator narrator, SynthesisRequest request, int n, SynthesisListener listener, BooleanSupplier cancelled) {
        if (n < 1) throw new IllegalArgumentException("takes must be at least 1, got " + n);
        SynthesisListener l = listener == null ? new SynthesisListener() {} : listener;
        BooleanSupplier cancel = cancelled == null ? () -> false : cancelled;
        SynthesisJob job = narrator.newJob(request);
        GenerationOptions options = job.options();
        List<ScriptChunk> chunks = job.chunks();
        AudioLanguageModel model = narrator.model();
        if (chunks.size() != 1 || !model.batchable() || n == 1) return oneByOne(narrator, request, options, n, l, cancel);

        ScriptChunk chunk = chunks.getFirst();
        ConversationPlanner planner = request.planner(chunks);
        SynthesisJob.Plan plan = job.plan(0, chunk, planner, new ArrayDeque<>(), options, model.maxPositions(), l);
        WaveformDecoder decoder = narrator.decoder();
        List<GenerationOptions> opts = new ArrayList<>();
        List<GenerationLoop.Observer> observers = new ArrayList<>();
        List<WaveformDecoder.Stream> streams = new ArrayList<>();
        List<Pcm> pcms = new ArrayList<>();
        try {
            for (int t = 0; t < n; t++) {
                // SynthesisJob gives chunk i the seed options.seed() + i; take t is the request with seed + t
                opts.add(options.withSeed(options.seed() + t).withMaxFrames(plan.budget()));
                WaveformDecoder.Stream s = decoder.open();
                streams.add(s);
                Pcm pcm = new Pcm();
                pcms.add(pcm);
                observers.add(new GenerationLoop.Observer() {
                    @Override
                    public void onFrames(List<int[]> frames) {
                        for (int[] f : frames) pcm.add(s.push(f));
                    }
                });
            }
            List<GenerationResult> rs = new BatchGenerationLoop(model, ReferencePipeline.OFFICIAL).takes(plan.prompt(), opts, observers, cancel);
            List<SynthesisResult> out = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                Pcm pcm = pcms.get(t);
                pcm.add(streams.get(t).finish());
                GenerationResult r = rs.get(t);
                out.add(new SynthesisResult(pcm.toArray(), decoder.sampleRate(), List.of(new ChunkResult(chunk, r.codes(), r.stop(), pcm.size))));
            }
            return List.copyOf(out);
        } finally {
            for (WaveformDecoder.Stream s : streams) {
                try {
                    s.close();
                } catch (Exception ignored) {
                    // a codec stream only frees its buffers
                }
            }
        }
    }

    private static List<SynthesisResult> oneByOne(Narrator narrator, SynthesisRequest request, GenerationOptions options, int n, SynthesisListener l,
            BooleanSupplier cancel) {
        List<SynthesisResult> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if (cancel.getAsBoolean()) throw new CancellationException("takes cancelled");
            SynthesisJob job = narrator.newJob(new SynthesisRequest(request.script(), request.voices(), request.scene(), options.withSeed(options.seed() + t),
                    request.lexicon()));
            out.add(job.run(new SynthesisListener() {
                @Override
                public void onNote(String message) {
                    l.onNote(message);
                }

                @Override
                public void onProgress(Progress progress) {
                    if (cancel.getAsBoolean()) job.cancel();
                }
            }));
        }
        return List.copyOf(out);
    }

    private static final class Pcm {
        float[] data = new float[1 << 14];
        int size;

        void add(float[] s) {
            if (s == null || s.length == 0) return;
            if (size + s.length > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, size + s.length));
            System.arraycopy(s, 0, data, size, s.length);
            size += s.length;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
