package org.higgsnarrator.conformance;

import com.google.gson.JsonArray;
import org.higgsnarrator.runtime.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.engine.CodecWaveformDecoder;
import org.higgsnarrator.export.KitPackages;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import java.util.Arrays;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.decode.BatchGenerationLoop;
import org.higgsnarrator.decode.DelayPatternProcessor;
import org.higgsnarrator.decode.DelayReverter;
import org.higgsnarrator.decode.GenerationLoop;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.decode.PromptTokens;
import org.higgsnarrator.engine.WaveformDecoder;
import org.higgsnarrator.tensors.SafeTensorsFile;

/**
 * Golden cases of the generation family, per prompt case of the kit:
 * <ul>
 *   <li>{@code gen_step_logits}: teacher-forced — prefill the golden prompt, then feed the golden frames one by one;
 *       every step's logits within the logits tolerance, and every step's greedy choice (after the delay-pattern
 *       processor) equal to the reference's unless the reference's top-2 margin is below the tie margin;</li>
 *   <li>{@code gen_audio_sequences}: free-running greedy generation through the real loop, exact (a first divergence
 *       at a near-tie step of the reference counts as a tie);</li>
 *   <li>{@code gen_wave}: the generated codes, delay reverted, through the streaming waveform decoder.</li>
 * </ul>
 */
public final class GenerationCases implements CaseGroup {

    /** What the cases run on: the converted kit model and the codec. */
    public interface Parts {
        /** The kit's generation model converted at {@code options.precision()}. */
        AudioLanguageModel openModel(Kit kit, ConformanceOptions options);

        /** The kit's codec decoder (tiny/codec-hf). */
        WaveformDecoder openDecoder(Kit kit, ConformanceOptions options);
    }

    /** The real parts: the kit's official checkpoint converted to fp32, and the kit's codec. */
    static final Parts KIT = new Parts() {
        @Override
        public AudioLanguageModel openModel(Kit kit, ConformanceOptions options) {
            // The generation goldens hold float32 logits with float32 tolerances: they check the fp32 graph whatever
            // --precision says; quantized graphs are judged by LogitsCases' KL against it.
            Path pkg = KitPackages.ensure(kit.dir(), kit.tokenizer(), CheckpointConfigReader.Layout.OFFICIAL,
                    Precision.FP32, options.workDir());
            OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU).withIoBinding(options.ioBinding()));
            return OrtAudioLanguageModel.open(ModelPackage.open(pkg, false), rt);
        }

        @Override
        public WaveformDecoder openDecoder(Kit kit, ConformanceOptions options) {
            return new CodecWaveformDecoder(CodecCases.openKitCodec(kit, options));
        }
    };

    private final Parts parts;

    public GenerationCases() {
        this(KIT);
    }

    public GenerationCases(Parts parts) {
        this.parts = parts;
    }

    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        List<String> prompts = kit.promptNames();
        SafeTensorsFile golden = kit.tensors();
        AudioLanguageModel model = null;
        String modelProblem = null;
        try {
            model = parts.openModel(kit, options);
        } catch (RuntimeException e) {
            modelProblem = message(e);
        }
        try {
            if (options.batch() && model != null && golden != null) {
                runBatched(kit, golden, prompts, model, options, out);
                return out;
            }
            for (String p : prompts) {
                String base = "prompt." + p + ".";
                if (golden == null || !golden.contains(base + "gen_step_logits")) {
                    for (String c : List.of("gen_step_logits", "gen_audio_sequences", "gen_wave")) out.add(CaseResult.fail(base + c, "the kit has no golden " + base + c));
                    continue;
                }
                if (model == null) {
                    for (String c : List.of("gen_step_logits", "gen_audio_sequences", "gen_wave")) out.add(CaseResult.fail(base + c, modelProblem));
                    continue;
                }
                runPrompt(kit, golden, p, model, options, out);
            }
        } finally {
            if (model != null) model.close();
        }
        return out;
    }

    private void runPrompt(Kit kit, SafeTensorsFile golden, String p, AudioLanguageModel model, ConformanceOptions options, List<CaseResult> out) {
        String base = "prompt." + p + ".";
        Golden g;
        try {
            g = Golden.read(kit, golden, p, model.config());
        } catch (RuntimeException e) {
            for (String c : List.of("gen_step_logits", "gen_audio_sequences", "gen_wave")) out.add(CaseResult.fail(base + c, "reading the goldens: " + message(e)));
            return;
        }
        out.add(guard(base + "gen_step_logits", () -> teacherForced(model, g, options)));
        GenerationResult[] generated = new GenerationResult[1];
        out.add(guard(base + "gen_audio_sequences", () -> {
            generated[0] = new GenerationLoop(model, options.reference()).run(new PromptTokens(g.ids, g.promptFrames),
                    GenerationOptions.greedyReference().withMaxFrames(g.steps), null, null);
            return freeRunning(generated[0], g, options);
        }));
        out.add(guard(base + "gen_wave", () -> wave(kit, golden, base, g, generated[0], options)));
    }

    /** One prompt case's golden data. */
    record Golden(String name, ModelConfig config, long[] ids, int[][] promptFrames, float[][] stepLogits, int[][] audioSequence, int steps) {
        static Golden read(Kit kit, SafeTensorsFile t, String name, ModelConfig config) {
            String base = "prompt." + name + ".";
            JsonArray arr = kit.cases().getAsJsonObject("prompts").getAsJsonObject(name).getAsJsonArray("input_ids");
            long[] ids = new long[arr.size()];
            for (int i = 0; i < ids.length; i++) ids[i] = arr.get(i).getAsLong();
            int[][] prompt = t.contains(base + "audio_input_ids") ? frames(t, base + "audio_input_ids") : new int[0][];
            long[] shape = t.info(base + "gen_step_logits").shape();
            int steps = (int) shape[1], width = (int) shape[2];
            int expectWidth = config.numCodebooks() * config.codebookEntries();
            if (width != expectWidth) {
                throw new IllegalStateException(base + "gen_step_logits has " + width + " logits per step; the model has " + expectWidth + " (codebooks × entries)");
            }
            float[] flat = t.floats(base + "gen_step_logits");
            float[][] logits = new float[steps][];
            for (int s = 0; s < steps; s++) logits[s] = Arrays.copyOfRange(flat, s * width, (s + 1) * width);
            return new Golden(name, config, ids, prompt, logits, frames(t, base + "gen_audio_sequences"), steps);
        }

        static int[][] frames(SafeTensorsFile t, String name) {
            long[] flat = t.longs(name);
            int k = (int) t.info(name).shape()[2];
            int[][] out = new int[flat.length / k][k];
            for (int f = 0; f < out.length; f++) for (int c = 0; c < k; c++) out[f][c] = Math.toIntExact(flat[f * k + c]);
            return out;
        }

        int[] generatedFrame(int step) {
            return audioSequence[promptFrames.length + step];
        }
    }

    private static CaseResult teacherForced(AudioLanguageModel model, Golden g, ConformanceOptions o) {
        TeacherCheck check = new TeacherCheck(model.config(), g, o);
        try (AudioLanguageModel.State state = model.newState(g.ids.length + g.steps)) {
            float[] logits = model.prefill(state, g.ids, g.promptFrames, 1)[0];
            for (int s = 0; s < g.steps; s++) {
                if (check.step(s, logits) != null) return check.failure;
                if (s + 1 < g.steps) logits = model.step(state, g.generatedFrame(s));
            }
        }
        return check.result("");
    }

    /**
     * The kit's prompts decoded together ({@code --batch}): teacher-forced through the model's batch API (one KV slot
     * per prompt, one decode step for all), free-running through {@link BatchGenerationLoop}; the same checks and
     * tolerances as one prompt at a time.
     */
    private void runBatched(Kit kit, SafeTensorsFile golden, List<String> prompts, AudioLanguageModel model, ConformanceOptions options,
            List<CaseResult> out) {
        java.util.Map<String, Golden> goldens = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<CaseResult>> byPrompt = new java.util.LinkedHashMap<>();
        for (String p : prompts) {
            String base = "prompt." + p + ".";
            List<CaseResult> mine = new ArrayList<>();
            byPrompt.put(p, mine);
            if (!golden.contains(base + "gen_step_logits")) {
                for (String c : List.of("gen_step_logits", "gen_audio_sequences", "gen_wave")) mine.add(CaseResult.fail(base + c, "the kit has no golden " + base + c));
                continue;
            }
            try {
                goldens.put(p, Golden.read(kit, golden, p, model.config()));
            } catch (RuntimeException e) {
                for (String c : List.of("gen_step_logits", "gen_audio_sequences", "gen_wave")) mine.add(CaseResult.fail(base + c, "reading the goldens: " + message(e)));
            }
        }
        List<Golden> gs = List.copyOf(goldens.values());
        String note = " (batched: " + gs.size() + " sequences decoded together)";
        java.util.Map<String, CaseResult> forced = new java.util.HashMap<>();
        try {
            forced.putAll(teacherForcedBatch(model, gs, options, note));
        } catch (RuntimeException e) {
            for (Golden g : gs) forced.put(g.name, CaseResult.fail(null, "batched teacher forcing: " + message(e)));
        }
        List<GenerationResult> generated;
        String genProblem = null;
        try {
            List<PromptTokens> ps = new ArrayList<>();
            List<GenerationOptions> os = new ArrayList<>();
            for (Golden g : gs) {
                ps.add(new PromptTokens(g.ids, g.promptFrames));
                os.add(GenerationOptions.greedyReference().withMaxFrames(g.steps));
            }
            generated = gs.isEmpty() ? List.of() : new BatchGenerationLoop(model, options.reference()).run(ps, os, null, null);
        } catch (RuntimeException e) {
            generated = null;
            genProblem = message(e);
        }
        for (int i = 0; i < gs.size(); i++) {
            Golden g = gs.get(i);
            String base = "prompt." + g.name + ".";
            List<CaseResult> mine = byPrompt.get(g.name);
            mine.add(guard(base + "gen_step_logits", () -> forced.get(g.name)));
            GenerationResult r = generated == null ? null : generated.get(i);
            String problem = genProblem;
            mine.add(guard(base + "gen_audio_sequences", () -> {
                if (r == null) return CaseResult.fail(null, "batched generation: " + problem);
                CaseResult c = freeRunning(r, g, options);
                return new CaseResult(null, c.passed(), c.detail() + note);
            }));
            mine.add(guard(base + "gen_wave", () -> wave(kit, golden, base, g, r, options)));
        }
        byPrompt.values().forEach(out::addAll);
    }

    /**
     * Teacher forcing of every golden at once: slots sorted by their number of steps (longest first), so the slots
     * still stepping are always the first ones and a step runs on those only.
     */
    private static java.util.Map<String, CaseResult> teacherForcedBatch(AudioLanguageModel model, List<Golden> goldens, ConformanceOptions o, String note) {
        java.util.Map<String, CaseResult> out = new java.util.HashMap<>();
        if (goldens.isEmpty()) return out;
        List<Golden> gs = new ArrayList<>(goldens);
        gs.sort(java.util.Comparator.comparingInt((Golden g) -> g.steps).reversed());
        int n = gs.size(), capacity = 1;
        for (Golden g : gs) capacity = Math.max(capacity, g.ids.length + g.steps);
        TeacherCheck[] checks = new TeacherCheck[n];
        float[][] logits = new float[n][];
        try (AudioLanguageModel.Batch batch = model.newBatch(n, capacity)) {
            for (int i = 0; i < n; i++) {
                Golden g = gs.get(i);
                checks[i] = new TeacherCheck(model.config(), g, o);
                logits[i] = model.prefill(batch, i, g.ids, g.promptFrames, 1)[0];
            }
            for (int s = 0; ; s++) {
                int live = 0;
                for (int i = 0; i < n; i++) {
                    if (s >= gs.get(i).steps) break;
                    checks[i].step(s, logits[i]); // a failed slot keeps stepping: its neighbours still need it in place
                    if (s + 1 < gs.get(i).steps) live++;
                }
                if (live == 0) break;
                int[][] frames = new int[live][];
                for (int i = 0; i < live; i++) frames[i] = gs.get(i).generatedFrame(s);
                float[][] next = model.step(batch, frames);
                System.arraycopy(next, 0, logits, 0, live);
            }
        }
        for (int i = 0; i < n; i++) out.put(gs.get(i).name, checks[i].failure != null ? checks[i].failure : checks[i].result(note));
        return out;
    }

    /** The checks of one teacher-forced step sequence: logits within tolerance, greedy choice equal unless a near-tie. */
    private static final class TeacherCheck {
        final ModelConfig cfg;
        final Golden g;
        final ConformanceOptions o;
        final DelayPatternProcessor ours, ref;
        double worst;
        int worstStep, ties;
        long lastText;
        CaseResult failure;

        TeacherCheck(ModelConfig cfg, Golden g, ConformanceOptions o) {
            this.cfg = cfg;
            this.g = g;
            this.o = o;
            this.ours = new DelayPatternProcessor(cfg, g.ids);
            this.ref = new DelayPatternProcessor(cfg, g.ids);
            this.lastText = g.ids[g.ids.length - 1];
        }

        /** Checks step {@code s}'s logits; returns the failure (also kept) or null. */
        CaseResult step(int s, float[] logits) {
            if (failure != null) return failure;
            int k = cfg.numCodebooks(), e = cfg.codebookEntries();
            float[] want = g.stepLogits[s];
            for (int i = 0; i < want.length; i++) {
                double d = Math.abs(logits[i] - want[i]);
                if (!(d <= worst)) { // NaN-safe
                    worst = d;
                    worstStep = s;
                }
            }
            float[] a = logits.clone(), b = want.clone();
            ours.apply(a, lastText);
            ref.apply(b, lastText);
            for (int c = 0; c < k; c++) {
                int x = argmax(a, c * e, e), y = argmax(b, c * e, e);
                if (x != y) {
                    double margin = margin(b, c * e, e);
                    if (margin >= o.tieMargin()) {
                        failure = CaseResult.fail(null, "step " + s + " codebook " + c + ": greedy code " + x + ", reference " + y + " (reference margin " + fmt(margin) + ")");
                        return failure;
                    }
                    ties++;
                }
            }
            lastText = placeholder(cfg, g.generatedFrame(s), lastText);
            return null;
        }

        CaseResult result(String note) {
            String detail = "max|Δ| " + fmt(worst) + " (step " + worstStep + ") over " + g.steps + " teacher-forced steps" + (ties > 0 ? ", " + ties + " near-tie argmax flips" : "") + note;
            return worst <= o.logitsTol() ? CaseResult.pass(null, detail) : CaseResult.fail(null, detail + " > " + fmt(o.logitsTol()));
        }
    }

    private static CaseResult freeRunning(GenerationResult r, Golden g, ConformanceOptions o) {
        ModelConfig cfg = g.config;
        int k = cfg.numCodebooks(), e = cfg.codebookEntries();
        if (r.audioSequence().size() != g.audioSequence.length) {
            return CaseResult.fail(null, r.audioSequence().size() + " frames, reference " + g.audioSequence.length + " (stop: " + r.stop() + ")");
        }
        for (int f = 0; f < g.audioSequence.length; f++) {
            if (Arrays.equals(r.audioSequence().get(f), g.audioSequence[f])) continue;
            int step = f - g.promptFrames.length;
            if (step < 0) return CaseResult.fail(null, "prompt frame " + f + " differs: the loop must return the prompt frames unchanged");
            // Was the reference's choice a near-tie at the first divergence? Re-run its processor up to that step.
            DelayPatternProcessor ref = new DelayPatternProcessor(cfg, g.ids);
            long lastText = g.ids[g.ids.length - 1];
            float[] b = null;
            for (int s = 0; s <= step; s++) {
                b = g.stepLogits[s].clone();
                ref.apply(b, lastText);
                lastText = placeholder(cfg, g.generatedFrame(s), lastText);
            }
            double widest = 0;
            for (int c = 0; c < k; c++) {
                if (r.audioSequence().get(f)[c] != g.audioSequence[f][c]) widest = Math.max(widest, margin(b, c * e, e));
            }
            String where = "first difference at step " + step + ": " + Arrays.toString(r.audioSequence().get(f)) + " vs " + Arrays.toString(g.audioSequence[f]);
            return widest < o.tieMargin()
                    ? CaseResult.pass(null, "exact up to a reference near-tie (margin " + fmt(widest) + ") — " + where)
                    : CaseResult.fail(null, where + " (reference margin " + fmt(widest) + ")");
        }
        return CaseResult.pass(null, "exact: " + r.steps() + " greedy frames");
    }

    private CaseResult wave(Kit kit, SafeTensorsFile golden, String base, Golden g, GenerationResult ours, ConformanceOptions o) {
        float[] want = golden.floats(base + "gen_wave");
        int[][] codes;
        String source;
        boolean oursExact = ours != null && ours.audioSequence().size() == g.audioSequence.length
                && java.util.stream.IntStream.range(0, g.audioSequence.length).allMatch(f -> Arrays.equals(ours.audioSequence().get(f), g.audioSequence[f]));
        if (oursExact) {
            codes = ours.codes();
            source = "our generated codes";
        } else {
            List<int[]> gen = Arrays.asList(Arrays.copyOfRange(g.audioSequence, g.promptFrames.length, g.audioSequence.length));
            boolean eos = Arrays.stream(gen.getLast()).allMatch(c -> c == g.config.streamEos());
            codes = DelayReverter.revert(gen, g.config.numCodebooks(), g.config.codebookSize(), eos);
            source = "the reference's codes (ours differ)";
        }
        float[] wave;
        try (WaveformDecoder decoder = parts.openDecoder(kit, o); WaveformDecoder.Stream s = decoder.open()) {
            float[] acc = new float[0];
            for (int f = 0; f < codes[0].length; f++) {
                int[] frame = new int[codes.length];
                for (int c = 0; c < codes.length; c++) frame[c] = codes[c][f];
                acc = concat(acc, s.push(frame));
            }
            wave = concat(acc, s.finish());
        }
        if (wave.length != want.length) return CaseResult.fail(null, wave.length + " samples, reference " + want.length + " (decoded " + source + ")");
        double worst = 0;
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(wave[i] - want[i]));
        String detail = "max|Δ| " + fmt(worst) + " over " + want.length + " samples (decoded " + source + ", streaming)";
        return worst <= o.waveTol() ? CaseResult.pass(null, detail) : CaseResult.fail(null, detail + " > " + fmt(o.waveTol()));
    }

    /** The reference's text-stream placeholder after a frame (drives the EOS counters in teacher forcing). */
    private static long placeholder(ModelConfig cfg, int[] frame, long previous) {
        boolean any = false, all = true;
        for (int c : frame) {
            any |= c == cfg.streamEos();
            all &= c == cfg.streamEos();
        }
        var t = cfg.tokens();
        return all ? t.eot() : any || previous == t.audioDelay() ? t.audioDelay() : t.audioOut();
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[from + i] > v[from + best]) best = i;
        return best;
    }

    /** Best minus second-best score of one codebook. */
    private static double margin(float[] v, int from, int n) {
        double a = Double.NEGATIVE_INFINITY, b = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float x = v[from + i];
            if (x > a) {
                b = a;
                a = x;
            } else if (x > b) b = x;
        }
        return a - b;
    }

    private static float[] concat(float[] a, float[] b) {
        if (b == null || b.length == 0) return a;
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String fmt(double v) {
        return String.format("%.3g", v);
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private interface CaseBody {
        CaseResult run();
    }

    /** Runs one case; its name is filled in here, and an exception becomes the case's FAIL. */
    private static CaseResult guard(String name, CaseBody body) {
        try {
            CaseResult r = body.run();
            return new CaseResult(name, r.passed(), r.detail());
        } catch (RuntimeException e) {
            return CaseResult.fail(name, message(e));
        }
    }
}
