package org.higgsnarrator.export.codec;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The audio tokenizer's full architecture as the converter needs it (the engine only sees
 * {@link org.higgsnarrator.config.CodecConfig}). Read from the transformers {@code config.json}, or for the official
 * layout from its {@code config.json} plus the weight shapes (HuBERT's own config is not shipped there; the values
 * that shapes cannot tell — strides, heads, epsilon — are HuBERT-base's).
 *
 * @param sampleRate        waveform rate (24000)
 * @param semanticRate      HuBERT input rate (16000)
 * @param ratios            acoustic down/upsampling ratios ([8,5,4,2,3]; hop = product)
 * @param encoderHidden     DAC encoder first width (64); doubles per block
 * @param decoderHidden     DAC decoder first width (1024); halves per block
 * @param acousticHidden    DAC latent width (256)
 * @param semanticDownsample HuBERT frames kept: every n-th (2)
 * @param hubert            the semantic teacher
 * @param semKernel         semantic encoder first conv kernel (3)
 * @param semStrides        semantic encoder block strides ([1,1])
 * @param semDilations      semantic residual unit dilations ([1,1])
 * @param semUnitKernel     semantic residual unit kernel (3)
 * @param codebookSize      codes per codebook (1024)
 * @param codebookDim       codebook vector width (64)
 * @param numQuantizers     codebooks used (8)
 */
record CodecSpec(int sampleRate, int semanticRate, int[] ratios, int encoderHidden, int decoderHidden, int acousticHidden,
                 int semanticDownsample, Hubert hubert, int semKernel, int[] semStrides, int[] semDilations, int semUnitKernel,
                 int codebookSize, int codebookDim, int numQuantizers) {

    /**
     * @param hidden        768 (base)
     * @param layers        12
     * @param heads         12
     * @param ffn           3072
     * @param convDim       feature extractor widths (7 × 512)
     * @param convKernel    [10,3,3,3,3,2,2]
     * @param convStride    [5,2,2,2,2,2,2]
     * @param convBias      conv layers carry a bias (false)
     * @param groupNorm     first conv layer has a per-channel GroupNorm ("group"), else every layer a LayerNorm ("layer")
     * @param posKernel     positional conv kernel (128)
     * @param posGroups     positional conv groups (16)
     * @param eps           layer norm epsilon (1e-5)
     * @param projLayerNorm LayerNorm before the feature projection (true)
     */
    record Hubert(int hidden, int layers, int heads, int ffn, int[] convDim, int[] convKernel, int[] convStride,
                  boolean convBias, boolean groupNorm, int posKernel, int posGroups, double eps, boolean projLayerNorm) {}

    int hop() {
        int h = 1;
        for (int r : ratios) h *= r;
        return h;
    }

    /** Concatenated latent width fed to fc and the quantizer: acoustic + semantic. */
    int latentHidden() {
        return acousticHidden + hubert.hidden;
    }

    // ---- reading ----------------------------------------------------------------------------------------------------

    static CodecSpec read(Path dir, CodecWeights w) {
        Path cfg = dir.resolve("config.json");
        JsonObject c;
        try {
            c = Files.isRegularFile(cfg) ? JsonParser.parseString(Files.readString(cfg)).getAsJsonObject() : new JsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CodecExportException(cfg + ": cannot read the codec config: " + e.getMessage(), e);
        }
        return c.has("acoustic_model_config") ? transformers(cfg, c, w) : official(cfg, c, w);
    }

    private static CodecSpec transformers(Path cfg, JsonObject c, CodecWeights w) {
        JsonObject a = c.getAsJsonObject("acoustic_model_config");
        JsonObject s = c.has("semantic_model_config") ? c.getAsJsonObject("semantic_model_config") : new JsonObject();
        int sr = num(c, "sample_rate", 24000);
        int ssr = num(c, "semantic_sample_rate", 16000);
        int[] ratios = ints(a, "downsampling_ratios", new int[] {8, 5, 4, 2});
        int[] up = ints(a, "upsampling_ratios", ratios);
        if (!java.util.Arrays.equals(ratios, up)) {
            throw new CodecExportException(cfg + ": downsampling_ratios " + java.util.Arrays.toString(ratios) + " and upsampling_ratios "
                    + java.util.Arrays.toString(up) + " differ; the Higgs tokenizer uses the same ratios both ways");
        }
        if (s.has("do_stable_layer_norm") && s.get("do_stable_layer_norm").getAsBoolean()) {
            throw new CodecExportException(cfg + ": semantic_model_config.do_stable_layer_norm=true (HuBERT-large style) is not supported; the Higgs tokenizer uses HuBERT base");
        }
        int hop = 1;
        for (int r : ratios) hop *= r;
        int downsampleFactor = num(c, "downsample_factor", 320);
        int semDown = (int) (hop / ((double) sr / ssr) / downsampleFactor);
        int codebookSize = num(c, "codebook_size", 1024);
        int frameRate = (int) Math.ceil((double) sr / hop);
        double[] bws = doubles(c, "target_bandwidths", new double[] {0.5, 1, 1.5, 2, 4});
        int nbits = (int) Math.ceil(Math.log(codebookSize) / Math.log(2));
        int nq = (int) Math.floor(1000 * bws[bws.length - 1] / (frameRate * nbits));
        int hidden = num(s, "hidden_size", 768);
        Hubert h = new Hubert(hidden, num(s, "num_hidden_layers", 12), num(s, "num_attention_heads", 12),
                num(s, "intermediate_size", 3072), ints(s, "conv_dim", new int[] {512, 512, 512, 512, 512, 512, 512}),
                ints(s, "conv_kernel", new int[] {10, 3, 3, 3, 3, 2, 2}), ints(s, "conv_stride", new int[] {5, 2, 2, 2, 2, 2, 2}),
                s.has("conv_bias") && s.get("conv_bias").getAsBoolean(),
                !s.has("feat_extract_norm") || s.get("feat_extract_norm").getAsString().equals("group"),
                num(s, "num_conv_pos_embeddings", 128), num(s, "num_conv_pos_embedding_groups", 16),
                s.has("layer_norm_eps") ? s.get("layer_norm_eps").getAsDouble() : 1e-5,
                !s.has("feat_proj_layer_norm") || s.get("feat_proj_layer_norm").getAsBoolean());
        for (String act : new String[] {"hidden_act", "feat_extract_activation"}) {
            if (s.has(act) && !s.get(act).getAsString().equals("gelu")) {
                throw new CodecExportException(cfg + ": semantic_model_config." + act + "=" + s.get(act).getAsString() + " is not supported (only gelu)");
            }
        }
        CodecSpec spec = new CodecSpec(sr, ssr, ratios, num(a, "encoder_hidden_size", 64), num(a, "decoder_hidden_size", 1024),
                num(a, "hidden_size", 256), semDown, h, num(c, "kernel_size", 3), ints(c, "strides", new int[] {1, 1}),
                ints(c, "block_dilations", new int[] {1, 1}), num(c, "unit_kernel_size", 3), codebookSize,
                num(c, "codebook_dim", 64), nq);
        spec.check(cfg, w);
        return spec;
    }

    /** Official layout: model.pth + a config.json with D, ratios, sample_rate, bins, n_q, …; HuBERT from shapes. */
    private static CodecSpec official(Path cfg, JsonObject c, CodecWeights w) {
        int sr = num(c, "sample_rate", 24000);
        int ssr = num(c, "semantic_sample_rate", 16000);
        int[] ratios = ints(c, "ratios", new int[] {8, 5, 4, 2, 3});
        int hop = 1;
        for (int r : ratios) hop *= r;
        int semDown = (int) (hop / ((double) sr / ssr) / 320);
        String p = "semantic_model.";
        if (!w.has(p + "feature_projection.projection.weight")) {
            throw new CodecExportException(w.source() + " has no HuBERT weights (semantic_model.*). The encoder needs them; use a "
                    + "checkpoint saved with its semantic model, or the transformers layout (model.safetensors + config.json)");
        }
        int hidden = w.get(p + "feature_projection.projection.weight").dim(0);
        int convLayers = w.count(p + "feature_extractor.conv_layers");
        int[] convDim = new int[convLayers], convKernel = new int[convLayers];
        for (int i = 0; i < convLayers; i++) {
            Tensor t = w.get(p + "feature_extractor.conv_layers." + i + ".conv.weight");
            convDim[i] = t.dim(0);
            convKernel[i] = t.dim(2);
        }
        // Not in the weights: HuBERT-base values unless config.json carries a "semantic_model_config" override.
        JsonObject s = c.has("semantic_model_config") ? c.getAsJsonObject("semantic_model_config") : new JsonObject();
        int[] convStride = ints(s, "conv_stride", java.util.Arrays.copyOf(new int[] {5, 2, 2, 2, 2, 2, 2}, convLayers));
        for (int i = 7; i < convLayers; i++) if (convStride[i] == 0) convStride[i] = 2;
        Tensor pos = w.get(p + "encoder.pos_conv_embed.conv.weight");
        double eps = s.has("layer_norm_eps") ? s.get("layer_norm_eps").getAsDouble() : 1e-5;
        Hubert h = new Hubert(hidden, w.count(p + "encoder.layers"), num(s, "num_attention_heads", Math.max(1, hidden / 64)),
                w.get(p + "encoder.layers.0.feed_forward.intermediate_dense.weight").dim(0), convDim, convKernel, convStride,
                w.has(p + "feature_extractor.conv_layers.0.conv.bias"),
                !w.has(p + "feature_extractor.conv_layers.1.layer_norm.weight"), pos.dim(2), hidden / pos.dim(1), eps,
                w.has(p + "feature_projection.layer_norm.weight"));
        int blocks = w.count("encoder_semantic.conv_blocks");
        int[] semStrides = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            int k = w.get("encoder_semantic.conv_blocks." + i + ".conv.weight").dim(2);
            semStrides[i] = k == 3 ? 1 : k / 2;
        }
        int units = w.count("encoder_semantic.conv_blocks.0.res_units");
        int[] dil = new int[units];
        java.util.Arrays.fill(dil, 1);
        Tensor embed = w.get("quantizer.quantizers.0.codebook.embed");
        int nq = num(c, "n_q", w.count("quantizer.quantizers"));
        CodecSpec spec = new CodecSpec(sr, ssr, ratios, w.get("acoustic_encoder.conv1.weight").dim(0),
                w.get("acoustic_decoder.conv1.weight").dim(0), w.get("acoustic_encoder.conv2.weight").dim(0), semDown, h,
                w.get("encoder_semantic.conv.weight").dim(2), semStrides, dil,
                w.get("encoder_semantic.conv_blocks.0.res_units.0.conv1.weight").dim(2), num(c, "bins", embed.dim(0)),
                embed.dim(1), nq);
        spec.check(cfg, w);
        return spec;
    }

    /** Cross-checks the config against the weights so a mismatch fails here, not inside ONNX Runtime. */
    private void check(Path cfg, CodecWeights w) {
        int have = w.count("quantizer.quantizers");
        if (have < numQuantizers) {
            throw new CodecExportException(cfg + ": the config asks for " + numQuantizers + " quantizers but " + w.source() + " has " + have);
        }
        if (semanticDownsample < 1) throw new CodecExportException(cfg + ": semantic downsample factor " + semanticDownsample + " < 1");
        w.get("acoustic_encoder.conv1.weight", encoderHidden, 1, 7);
        w.get("acoustic_decoder.conv1.weight", decoderHidden, acousticHidden, 7);
        w.get("fc.weight", latentHidden(), latentHidden());
        w.get("fc2.weight", acousticHidden, latentHidden());
        w.get("quantizer.quantizers.0.codebook.embed", codebookSize, codebookDim);
        if (w.count("semantic_model.encoder.layers") != hubert.layers) {
            throw new CodecExportException(cfg + ": num_hidden_layers=" + hubert.layers + " but the weights have "
                    + w.count("semantic_model.encoder.layers") + " HuBERT layers");
        }
        if (hubert.hidden % hubert.heads != 0) throw new CodecExportException(cfg + ": HuBERT hidden " + hubert.hidden + " not divisible by heads " + hubert.heads);
    }

    // ---- json helpers -----------------------------------------------------------------------------------------------

    private static int num(JsonObject o, String k, int dflt) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? dflt : e.getAsInt();
    }

    private static int[] ints(JsonObject o, String k, int[] dflt) {
        JsonElement e = o.get(k);
        if (e == null || !e.isJsonArray()) return dflt;
        JsonArray a = e.getAsJsonArray();
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsInt();
        return r;
    }

    private static double[] doubles(JsonObject o, String k, double[] dflt) {
        JsonElement e = o.get(k);
        if (e == null || !e.isJsonArray()) return dflt;
        List<Double> l = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) l.add(x.getAsDouble());
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
