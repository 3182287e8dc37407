package org.higgsnarrator.export.codec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A codec with exactly the released architecture (HuBERT base, DAC 64/1024/256, ratios [8,5,4,2,3], 8 × 1024 codes of
 * dim 64) and seeded random weights, for benchmarks on machines without the real checkpoint: the time a convolution
 * or a matrix product takes does not depend on the values. Weights are drawn N(0, 1/fan_in) so activations stay in
 * a normal range (no denormals, no overflow). It speaks noise, of course.
 */
public final class ReleasedShapeCodec {
    private ReleasedShapeCodec() {}

    public static CodecExporter.Result export(Path outDir, long seed) {
        CodecSpec spec = releasedSpec();
        Map<String, Supplier<Tensor>> m = new LinkedHashMap<>();
        shapes(spec).forEach((name, shape) -> m.put(name, () -> random(name, shape, seed)));
        try (CodecWeights w = CodecWeights.of("random weights with the released shapes", m)) {
            return CodecExporter.export(spec, w, outDir);
        }
    }

    /**
     * Only the decoder, built with the literal ONNX forms (ConvTranspose, five-op Snake) instead of the optimized
     * ones, to measure what the optimizations buy. Same weights as {@link #export} with the same seed.
     */
    public static void exportLiteralDecoder(Path outDir, long seed) {
        CodecSpec spec = releasedSpec();
        Map<String, Supplier<Tensor>> m = new LinkedHashMap<>();
        shapes(spec).forEach((name, shape) -> m.put(name, () -> random(name, shape, seed)));
        try (CodecWeights w = CodecWeights.of("random weights with the released shapes", m)) {
            CodecGraphs.decoder(spec, w, false).save(outDir, CodecExporter.DECODER_FILE, "higgs-narrator codec exporter (literal)");
        }
    }

    static CodecSpec releasedSpec() {
        CodecSpec.Hubert h = new CodecSpec.Hubert(768, 12, 12, 3072, new int[] {512, 512, 512, 512, 512, 512, 512},
                new int[] {10, 3, 3, 3, 3, 2, 2}, new int[] {5, 2, 2, 2, 2, 2, 2}, false, true, 128, 16, 1e-5, true);
        return new CodecSpec(24000, 16000, new int[] {8, 5, 4, 2, 3}, 64, 1024, 256, 2, h, 3, new int[] {1, 1},
                new int[] {1, 1}, 3, 1024, 64, 8);
    }

    /** Every tensor name (transformers layout) and shape of a codec with this spec. */
    static Map<String, long[]> shapes(CodecSpec s) {
        Map<String, long[]> m = new LinkedHashMap<>();
        String e = "acoustic_encoder.";
        conv(m, e + "conv1", s.encoderHidden(), 1, 7);
        int d = s.encoderHidden();
        for (int b = 0; b < s.ratios().length; b++) {
            String p = e + "block." + b + ".";
            for (int r = 1; r <= 3; r++) resUnit(m, p + "res_unit" + r, d);
            m.put(p + "snake1.alpha", new long[] {1, d, 1});
            conv(m, p + "conv1", 2 * d, d, 2 * s.ratios()[b]);
            d *= 2;
        }
        m.put(e + "snake1.alpha", new long[] {1, d, 1});
        conv(m, e + "conv2", s.acousticHidden(), d, 3);
        String dd = "acoustic_decoder.";
        conv(m, dd + "conv1", s.decoderHidden(), s.acousticHidden(), 7);
        int c = s.decoderHidden();
        for (int b = 0; b < s.ratios().length; b++) {
            String p = dd + "block." + b + ".";
            m.put(p + "snake1.alpha", new long[] {1, c, 1});
            m.put(p + "conv_t1.weight", new long[] {c, c / 2, 2L * s.ratios()[b]});
            m.put(p + "conv_t1.bias", new long[] {c / 2});
            c /= 2;
            for (int r = 1; r <= 3; r++) resUnit(m, p + "res_unit" + r, c);
        }
        m.put(dd + "snake1.alpha", new long[] {1, c, 1});
        conv(m, dd + "conv2", 1, c, 7);
        CodecSpec.Hubert h = s.hubert();
        String sm = "semantic_model.";
        int in = 1;
        for (int i = 0; i < h.convDim().length; i++) {
            m.put(sm + "feature_extractor.conv_layers." + i + ".conv.weight", new long[] {h.convDim()[i], in, h.convKernel()[i]});
            in = h.convDim()[i];
        }
        norm(m, sm + "feature_extractor.conv_layers.0.layer_norm", h.convDim()[0]);
        norm(m, sm + "feature_projection.layer_norm", in);
        linear(m, sm + "feature_projection.projection", h.hidden(), in);
        m.put(sm + "encoder.pos_conv_embed.conv.weight", new long[] {h.hidden(), h.hidden() / h.posGroups(), h.posKernel()});
        m.put(sm + "encoder.pos_conv_embed.conv.bias", new long[] {h.hidden()});
        norm(m, sm + "encoder.layer_norm", h.hidden());
        for (int l = 0; l < h.layers(); l++) {
            String p = sm + "encoder.layers." + l + ".";
            for (String x : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) linear(m, p + "attention." + x, h.hidden(), h.hidden());
            norm(m, p + "layer_norm", h.hidden());
            linear(m, p + "feed_forward.intermediate_dense", h.ffn(), h.hidden());
            linear(m, p + "feed_forward.output_dense", h.hidden(), h.ffn());
            norm(m, p + "final_layer_norm", h.hidden());
        }
        int sh = h.hidden();
        m.put("encoder_semantic.conv.weight", new long[] {sh, sh, s.semKernel()});
        for (int b = 0; b < s.semStrides().length; b++) {
            String p = "encoder_semantic.conv_blocks." + b + ".";
            for (int r = 0; r < s.semDilations().length; r++) {
                m.put(p + "res_units." + r + ".conv1.weight", new long[] {sh, sh, s.semUnitKernel()});
                m.put(p + "res_units." + r + ".conv2.weight", new long[] {sh, sh, 1});
            }
            conv(m, p + "conv", sh, sh, s.semStrides()[b] == 1 ? 3 : 2 * s.semStrides()[b]);
        }
        linear(m, "fc", s.latentHidden(), s.latentHidden());
        linear(m, "fc2", s.acousticHidden(), s.latentHidden());
        for (int q = 0; q < s.numQuantizers(); q++) {
            String p = "quantizer.quantizers." + q + ".";
            m.put(p + "codebook.embed", new long[] {s.codebookSize(), s.codebookDim()});
            linear(m, p + "project_in", s.codebookDim(), s.latentHidden());
            linear(m, p + "project_out", s.latentHidden(), s.codebookDim());
        }
        return m;
    }

    private static void conv(Map<String, long[]> m, String p, int out, int in, int k) {
        m.put(p + ".weight", new long[] {out, in, k});
        m.put(p + ".bias", new long[] {out});
    }

    private static void resUnit(Map<String, long[]> m, String p, int d) {
        m.put(p + ".snake1.alpha", new long[] {1, d, 1});
        conv(m, p + ".conv1", d, d, 7);
        m.put(p + ".snake2.alpha", new long[] {1, d, 1});
        conv(m, p + ".conv2", d, d, 1);
    }

    private static void linear(Map<String, long[]> m, String p, int out, int in) {
        m.put(p + ".weight", new long[] {out, in});
        m.put(p + ".bias", new long[] {out});
    }

    private static void norm(Map<String, long[]> m, String p, int d) {
        m.put(p + ".weight", new long[] {d});
        m.put(p + ".bias", new long[] {d});
    }

    private static Tensor random(String name, long[] shape, long seed) {
        int n = 1;
        for (long x : shape) n *= (int) x;
        float[] v = new float[n];
        if (name.endsWith(".alpha") || (name.contains("norm") && name.endsWith(".weight"))) {
            java.util.Arrays.fill(v, 1f);
        } else if (name.endsWith(".bias")) {
            // zeros
        } else {
            long fanIn = 1;
            for (int i = 1; i < shape.length; i++) fanIn *= shape[i];
            if (name.endsWith("conv_t1.weight")) fanIn = shape[0];
            double std = 1 / Math.sqrt(Math.max(1, fanIn));
            SplittableRandom r = new SplittableRandom(seed ^ name.hashCode());
            for (int i = 0; i < n; i++) v[i] = (float) (gaussian(r) * std);
        }
        return new Tensor(shape, v);
    }

    private static double gaussian(SplittableRandom r) {
        double u = Math.max(1e-12, r.nextDouble()), w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }
}
