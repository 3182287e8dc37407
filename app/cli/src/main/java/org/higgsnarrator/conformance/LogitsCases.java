package org.higgsnarrator.conformance;

import java.nio.file.Path;
import org.higgsnarrator.runtime.Device;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.checkpoint.CheckpointConfigReader.Layout;
import org.higgsnarrator.export.KitPackages;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.tensors.SafeTensorsFile;

/**
 * Golden cases of the logits family: each prompt's audio logits at its last 4 positions, from the kit's model
 * converted by this project (both checkpoint layouts) and run on ORT CPU.
 * <ul>
 *   <li>fp32: {@code prompt.<name>.last4_logits} (official layout) and {@code …@transformers}: max |Δ| ≤ logitsTol.</li>
 *   <li>fp16/int8/int4: {@code prompt.<name>.last4_kl}: per-codebook KL(fp32 ‖ quantized) of the softmax over the
 *       codebook's entries, mean over the 4 positions, worst codebook reported; limits fp16 0.001, int8 0.01, int4 0.05.</li>
 * </ul>
 */
public final class LogitsCases implements CaseGroup {
    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        Precision precision = options.precision();
        RuntimeOptions ro = RuntimeOptions.defaults().withDevice(Device.CPU);
        try (OrtRuntime rt = new OrtRuntime(ro)) {
            if (precision == Precision.FP32) {
                for (Layout layout : Layout.values()) {
                    String suffix = layout == Layout.OFFICIAL ? "" : "@transformers";
                    try (OrtAudioLanguageModel m = open(kit, layout, Precision.FP32, options, rt)) {
                        for (String p : kit.promptNames()) out.add(golden(kit, m, p, suffix, options.logitsTol()));
                    } catch (RuntimeException e) {
                        for (String p : kit.promptNames()) out.add(CaseResult.fail("prompt." + p + ".last4_logits" + suffix, "conversion/run failed: " + e.getMessage()));
                    }
                }
            } else {
                double limit = switch (precision) {
                    case FP16 -> 0.001;
                    case INT8, INT8_FP16 -> 0.01;
                    default -> 0.05; // aim; the tiny random model measures ~0.08 at block 32 (docs/converter.md)
                };
                try (OrtAudioLanguageModel ref = open(kit, Layout.OFFICIAL, Precision.FP32, options, rt);
                     OrtAudioLanguageModel q = open(kit, Layout.OFFICIAL, precision, options, rt)) {
                    for (String p : kit.promptNames()) out.add(kl(kit, ref, q, p, precision, limit));
                } catch (RuntimeException e) {
                    for (String p : kit.promptNames()) out.add(CaseResult.fail("prompt." + p + ".last4_kl", "conversion/run failed: " + e.getMessage()));
                }
            }
        }
        return out;
    }

    private static OrtAudioLanguageModel open(Kit kit, Layout layout, Precision p, ConformanceOptions o, OrtRuntime rt) {
        Path pkg = KitPackages.ensure(kit.dir(), kit.tokenizer(), layout, p, o.workDir());
        return new OrtAudioLanguageModel(ModelPackage.open(pkg, false), rt);
    }

    static long[] inputIds(Kit kit, String prompt) {
        var a = kit.cases().getAsJsonObject("prompts").getAsJsonObject(prompt).getAsJsonArray("input_ids");
        long[] ids = new long[a.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = a.get(i).getAsLong();
        return ids;
    }

    /** The prompt's audio frames [F][K] from the goldens (masked frames dropped); none for text-only prompts. */
    static int[][] audioFrames(Kit kit, String prompt) {
        SafeTensorsFile g = kit.tensors();
        String name = "prompt." + prompt + ".audio_input_ids";
        if (!g.contains(name)) return new int[0][];
        long[] codes = g.longs(name), mask = g.longs(name + "_mask");
        int f = mask.length, k = codes.length / f;
        List<int[]> frames = new ArrayList<>();
        for (int i = 0; i < f; i++) {
            if (mask[i] == 0) continue;
            int[] fr = new int[k];
            for (int j = 0; j < k; j++) fr[j] = (int) codes[i * k + j];
            frames.add(fr);
        }
        return frames.toArray(int[][]::new);
    }

    private static float[][] last4(Kit kit, OrtAudioLanguageModel m, String prompt, int n) {
        long[] ids = inputIds(kit, prompt);
        try (var st = m.newState(ids.length)) {
            return m.prefill(st, ids, audioFrames(kit, prompt), n);
        }
    }

    private static CaseResult golden(Kit kit, OrtAudioLanguageModel m, String prompt, String suffix, double tol) {
        String name = "prompt." + prompt + ".last4_logits" + suffix;
        try {
            long[] shape = kit.tensors().info("prompt." + prompt + ".last4_logits").shape();
            int n = (int) shape[1], w = (int) shape[2];
            float[] want = kit.tensors().floats("prompt." + prompt + ".last4_logits");
            float[][] got = last4(kit, m, prompt, n);
            if (got[0].length != w) return CaseResult.fail(name, "width " + got[0].length + " vs golden " + w);
            double max = 0;
            for (int r = 0; r < n; r++) for (int i = 0; i < w; i++) max = Math.max(max, Math.abs(got[r][i] - want[r * w + i]));
            String d = String.format("max|Δ|=%.2e (tol %.0e)", max, tol);
            return max <= tol ? CaseResult.pass(name, d) : CaseResult.fail(name, d);
        } catch (RuntimeException e) {
            return CaseResult.fail(name, e.toString());
        }
    }

    private static CaseResult kl(Kit kit, OrtAudioLanguageModel ref, OrtAudioLanguageModel q, String prompt, Precision p, double limit) {
        String name = "prompt." + prompt + ".last4_kl";
        try {
            float[][] a = last4(kit, ref, prompt, 4), b = last4(kit, q, prompt, 4);
            int k = ref.config().numCodebooks(), c = ref.config().codebookEntries();
            double[] perBook = new double[k];
            for (int r = 0; r < a.length; r++) {
                for (int j = 0; j < k; j++) perBook[j] += org.higgsnarrator.decode.Divergence.kl(a[r], b[r], j * c, c) / a.length;
            }
            double worst = 0;
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < k; j++) {
                worst = Math.max(worst, perBook[j]);
                sb.append(j == 0 ? "" : ",").append(String.format("%.1e", perBook[j]));
            }
            String d = String.format("%s KL vs fp32 per codebook [%s] worst %.2e (limit %.0e)", p.id(), sb, worst, limit);
            return worst <= limit ? CaseResult.pass(name, d) : CaseResult.fail(name, d);
        } catch (RuntimeException e) {
            return CaseResult.fail(name, e.toString());
        }
    }
}
