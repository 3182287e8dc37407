package org.higgsnarrator.export.codec;

import static org.higgsnarrator.export.onnx.OnnxGraph.attr;
import static org.higgsnarrator.export.onnx.OnnxGraph.attrInts;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.export.onnx.OnnxGraph;
import org.higgsnarrator.pkg.GraphIo;

/**
 * Builds the two codec graphs from the weights, layer by layer, mirroring transformers'
 * {@code HiggsAudioV2TokenizerModel} (encode: {@code _extract_semantic_features} → {@code encoder_semantic},
 * {@code acoustic_encoder}, {@code fc}, RVQ; decode: RVQ lookup → {@code fc2} → {@code acoustic_decoder}).
 *
 * <pre>
 * codec_encoder: waveform f32 [1,1,N] (24 kHz mono)  → codes i64 [1,Q,T]
 * codec_decoder: codes i64 [1,Q,T]                    → waveform f32 [1,1,T·hop]
 * </pre>
 */
final class CodecGraphs {
    static final TensorProto.DataType F32 = TensorProto.DataType.FLOAT;
    static final TensorProto.DataType I64 = TensorProto.DataType.INT64;
    /** torchaudio.functional.resample defaults used by the reference. */
    static final int LOWPASS_FILTER_WIDTH = 6;
    static final double ROLLOFF = 0.99;
    /** Samples of zero padding each side of the 16 kHz signal before HuBERT (fixed in the reference). */
    static final int HUBERT_PAD = 160;
    private static final int[] RES_DILATIONS = {1, 3, 9};

    private final CodecSpec spec;
    private final CodecWeights w;
    private final OnnxGraph g;
    /**
     * Fold Snake's 1/α into the neighbouring convs where exact (see {@link #snake}) and build transposed convs as
     * polyphase Convs; false builds the literal forms (tests and the benchmark compare the two).
     */
    private final boolean optimized;

    private CodecGraphs(CodecSpec spec, CodecWeights w, String name, boolean optimized) {
        this.spec = spec;
        this.w = w;
        this.g = new OnnxGraph(name);
        this.optimized = optimized;
    }

    // =================================================================================================================
    // decoder
    // =================================================================================================================

    /** The graph's inputs and outputs: the package I/O table for this codec. */
    static GraphIo.Io io(GraphIo.Role role, CodecSpec spec) {
        return GraphIo.codec(role, spec.numQuantizers(), spec.hop());
    }

    static OnnxGraph decoder(CodecSpec spec, CodecWeights w) {
        return decoder(spec, w, true);
    }

    static OnnxGraph decoder(CodecSpec spec, CodecWeights w, boolean optimized) {
        CodecGraphs b = new CodecGraphs(spec, w, "higgs_codec_decoder", optimized);
        GraphIo.Io io = io(GraphIo.Role.CODEC_DECODER, spec);
        io.inputs().forEach(b.g::input);
        String x = b.codebookLookup(GraphIo.CODES);
        x = b.acousticDecoder(x);
        b.g.identity(x, GraphIo.WAVEFORM);
        io.outputs().forEach(b.g::output);
        return b.g;
    }

    /**
     * Σ_q fc2(project_out_q(embed_q[code_q])): linear in each term, so each quantizer's table is precomputed in double
     * as {@code (embed_q · W_out_qᵀ + b_out_q) · W_fc2ᵀ} [codebookSize, acousticHidden] and fc2's bias added once.
     * Returns [1, acousticHidden, T].
     */
    private String codebookLookup(String codes) {
        int h = spec.latentHidden(), a = spec.acousticHidden(), n = spec.codebookSize();
        float[] w2 = w.get("fc2.weight", a, h).data();
        float[] b2 = w.get("fc2.bias", a).data();
        List<String> terms = new ArrayList<>();
        for (int q = 0; q < spec.numQuantizers(); q++) {
            double[] out = projectOutTable(q); // [n, h]
            float[] table = new float[n * a];
            for (int c = 0; c < n; c++) {
                for (int o = 0; o < a; o++) {
                    double s = 0;
                    for (int i = 0; i < h; i++) s += out[c * h + i] * w2[o * h + i];
                    table[c * a + o] = (float) s;
                }
            }
            String t = g.init("decode_table_" + q, table, n, a);
            String cq = g.op("Gather", codes, g.scalarInt64(q), attr("axis", 1)); // [1, T]
            terms.add(g.op("Gather", t, cq, attr("axis", 0))); // [1, T, a]
        }
        String sum = terms.size() == 1 ? terms.getFirst() : g.op("Sum", terms);
        sum = g.op("Add", sum, g.init("fc2_bias", b2, a));
        return g.op("Transpose", sum, attrInts("perm", 0, 2, 1));
    }

    /** project_out_q(embed_q) for every code, in double: [codebookSize × latentHidden]. */
    private double[] projectOutTable(int q) {
        int h = spec.latentHidden(), n = spec.codebookSize(), d = spec.codebookDim();
        String p = "quantizer.quantizers." + q + ".";
        float[] embed = w.get(p + "codebook.embed", n, d).data();
        double[] out = new double[n * h];
        if (!w.has(p + "project_out.weight")) { // codebook_dim == hidden: identity projection
            if (d != h) throw new CodecExportException(w.source() + ": " + p + "project_out.weight is missing");
            for (int i = 0; i < n * h; i++) out[i] = embed[i];
            return out;
        }
        float[] wo = w.get(p + "project_out.weight", h, d).data();
        float[] bo = w.get(p + "project_out.bias", h).data();
        for (int c = 0; c < n; c++) {
            for (int o = 0; o < h; o++) {
                double s = bo[o];
                for (int i = 0; i < d; i++) s += (double) embed[c * d + i] * wo[o * d + i];
                out[c * h + o] = s;
            }
        }
        return out;
    }

    private String acousticDecoder(String x) {
        String p = "acoustic_decoder.";
        x = conv(x, p + "conv1", 1, 3, 1, 1);
        for (int b = 0; b < spec.ratios().length; b++) {
            int s = spec.ratios()[b];
            String bp = p + "block." + b + ".";
            // transformers' _adjust_dac_decoder sets output_padding = stride % 2 so each block upsamples by exactly s
            x = convTranspose(snake(x, bp + "snake1", false), bp + "conv_t1", s, (s + 1) / 2);
            for (int r = 0; r < 3; r++) x = residualUnit(x, bp + "res_unit" + (r + 1), RES_DILATIONS[r]);
        }
        return conv(snake(x, p + "snake1", false), p + "conv2", 1, 3, 1, 1, null); // the Higgs decoder has no final tanh
    }

    /**
     * Latent frames of context each side that make a chunk's samples equal to the full decode's: the decoder's
     * receptive field, found by walking an output-sample interval back through every layer.
     */
    static int decoderContextFrames(int[] ratios) {
        int hop = 1;
        for (int r : ratios) hop *= r;
        long frame = 10_000; // far from both ends
        long lo = frame * hop, hi = frame * hop + hop - 1;
        lo -= 3;
        hi += 3; // conv2 k7
        for (int b = ratios.length - 1; b >= 0; b--) {
            for (int r = 2; r >= 0; r--) {
                lo -= 3L * RES_DILATIONS[r];
                hi += 3L * RES_DILATIONS[r];
            }
            int s = ratios[b], pad = (s + 1) / 2;
            // ConvTranspose: input i writes outputs i·s − pad … i·s − pad + 2s − 1
            lo = Math.floorDiv(lo + pad - 2L * s + 1 + s - 1, s);
            hi = Math.floorDiv(hi + pad, s);
        }
        lo -= 3;
        hi += 3; // conv1 k7
        return (int) Math.max(frame - lo, hi - frame);
    }

    // =================================================================================================================
    // encoder
    // =================================================================================================================

    static OnnxGraph encoder(CodecSpec spec, CodecWeights w) {
        CodecGraphs b = new CodecGraphs(spec, w, "higgs_codec_encoder", true);
        GraphIo.Io io = io(GraphIo.Role.CODEC_ENCODER, spec);
        io.inputs().forEach(b.g::input);
        String sem = b.semanticBranch(GraphIo.WAVEFORM); // [1, Hs, Ts]
        String tSem = b.g.op("Slice", b.g.op("Shape", sem), b.g.constInt64(2), b.g.constInt64(3)); // [1]
        String aco = b.acousticEncoder(b.padForAcoustic(GraphIo.WAVEFORM, tSem)); // [1, Ha, Ta]
        String tAco = b.g.op("Slice", b.g.op("Shape", aco), b.g.constInt64(2), b.g.constInt64(3));
        // Equal lengths after the padding rule in the reference; trim to the shorter otherwise (as the original code).
        String t = b.g.op("Min", tSem, tAco);
        sem = b.g.op("Slice", List.of(sem, b.g.constInt64(0), t, b.g.constInt64(2)));
        aco = b.g.op("Slice", List.of(aco, b.g.constInt64(0), t, b.g.constInt64(2)));
        String e = b.g.op("Concat", List.of(aco, sem), attr("axis", 1));
        e = b.g.op("Transpose", e, attrInts("perm", 0, 2, 1)); // [1, T, H]
        e = b.g.op("Reshape", e, b.g.constInt64(-1, spec.latentHidden())); // [T, H]
        e = b.linear(e, "fc");
        String codes = b.residualQuantize(e);
        b.g.identity(codes, GraphIo.CODES);
        io.outputs().forEach(b.g::output);
        return b.g;
    }

    /**
     * The reference pads the 24 kHz input by hop/2 each side only when the unpadded acoustic encoder would give a
     * different frame count than the semantic branch. That is a pure length computation, done here on the shape.
     */
    private String padForAcoustic(String wave, String tSem) {
        String len = g.op("Slice", g.op("Shape", wave), g.constInt64(2), g.constInt64(3)); // N
        len = convLength(len, 7, 1, 3, 1);
        for (int s : spec.ratios()) len = convLength(len, 2 * s, s, (s + 1) / 2, 1);
        len = convLength(len, 3, 1, 1, 1);
        String differ = g.op("Not", g.op("Equal", len, tSem));
        String pad = g.op("Where", List.of(differ, g.constInt64(spec.hop() / 2), g.constInt64(0)));
        String pads = g.op("Concat", List.of(g.constInt64(0, 0), pad, g.constInt64(0, 0), pad), attr("axis", 0));
        return g.op("Pad", wave, pads);
    }

    /** floor((L + 2p − d(k−1) − 1) / s) + 1 on an int64 [1] tensor (positive lengths: Div truncates = floors). */
    private String convLength(String len, int k, int s, int p, int d) {
        String x = g.op("Add", len, g.constInt64(2L * p - (long) d * (k - 1) - 1));
        x = g.op("Div", x, g.constInt64(s));
        return g.op("Add", x, g.constInt64(1));
    }

    private String acousticEncoder(String x) {
        String p = "acoustic_encoder.";
        x = conv(x, p + "conv1", 1, 3, 1, 1);
        for (int b = 0; b < spec.ratios().length; b++) {
            int s = spec.ratios()[b];
            String bp = p + "block." + b + ".";
            for (int r = 0; r < 3; r++) x = residualUnit(x, bp + "res_unit" + (r + 1), RES_DILATIONS[r]);
            x = conv(snake(x, bp + "snake1", false), bp + "conv1", s, (s + 1) / 2, 1, 1, null);
        }
        return conv(snake(x, p + "snake1", false), p + "conv2", 1, 1, 1, 1, null);
    }

    // ---- semantic branch --------------------------------------------------------------------------------------------

    private String semanticBranch(String wave) {
        String x = resample(wave); // [1, M] at 16 kHz
        x = g.op("Pad", x, g.constInt64(0, HUBERT_PAD, 0, HUBERT_PAD));
        x = hubertMeanOfHiddenStates(x); // [1, T50, Hs]
        int k = spec.semanticDownsample();
        if (k > 1) x = g.op("Slice", List.of(x, g.constInt64(0), g.constInt64(Long.MAX_VALUE), g.constInt64(1), g.constInt64(k)));
        x = g.op("Transpose", x, attrInts("perm", 0, 2, 1)); // [1, Hs, T]
        return semanticEncoder(x);
    }

    /** torchaudio.functional.resample(x, sampleRate, semanticRate) as Pad → strided Conv → interleave → Slice. */
    private String resample(String wave) {
        if (spec.sampleRate() == spec.semanticRate()) return g.op("Reshape", wave, g.constInt64(1, -1));
        SincResampleKernel k = SincResampleKernel.of(spec.sampleRate(), spec.semanticRate(), LOWPASS_FILTER_WIDTH, ROLLOFF);
        String kern = g.init("resample_kernel", k.kernel(), k.target(), 1, k.taps());
        String x = g.op("Pad", wave, g.constInt64(0, 0, k.width(), 0, 0, k.width() + k.orig()));
        x = g.op("Conv", List.of(x, kern), attrInts("kernel_shape", k.taps()), attrInts("strides", k.orig()));
        x = g.op("Transpose", x, attrInts("perm", 0, 2, 1)); // [1, L', target]
        x = g.op("Reshape", x, g.constInt64(1, -1));
        String n = g.op("Slice", g.op("Shape", wave), g.constInt64(2), g.constInt64(3));
        String target = g.op("Div", g.op("Add", g.op("Mul", n, g.constInt64(k.target())), g.constInt64(k.orig() - 1)), g.constInt64(k.orig()));
        return g.op("Slice", List.of(x, g.constInt64(0), target, g.constInt64(1)));
    }

    private String hubertMeanOfHiddenStates(String wave16) {
        CodecSpec.Hubert h = spec.hubert();
        String p = "semantic_model.";
        String x = g.op("Unsqueeze", wave16, g.constInt64(1)); // [1, 1, L]
        for (int i = 0; i < h.convDim().length; i++) {
            String lp = p + "feature_extractor.conv_layers." + i + ".";
            x = conv(x, lp + "conv", h.convStride()[i], 0, 1, 1);
            if (h.groupNorm() && i == 0) {
                // GroupNorm with one group per channel = InstanceNormalization (eps: torch default 1e-5)
                x = g.op("InstanceNormalization", List.of(x, weight(lp + "layer_norm.weight"), weight(lp + "layer_norm.bias")),
                        attr("epsilon", 1e-5f));
            } else if (!h.groupNorm()) {
                x = g.op("Transpose", x, attrInts("perm", 0, 2, 1));
                x = layerNorm(x, lp + "layer_norm", 1e-5);
                x = g.op("Transpose", x, attrInts("perm", 0, 2, 1));
            }
            x = gelu(x);
        }
        x = g.op("Transpose", x, attrInts("perm", 0, 2, 1)); // [1, T, C]
        if (h.projLayerNorm()) x = layerNorm(x, p + "feature_projection.layer_norm", h.eps());
        x = linear(x, p + "feature_projection.projection");
        // positional conv embedding (weight norm already folded) + SamePad + GELU
        String pc = g.op("Transpose", x, attrInts("perm", 0, 2, 1));
        pc = conv(pc, p + "encoder.pos_conv_embed.conv", 1, h.posKernel() / 2, 1, h.posGroups());
        if (h.posKernel() % 2 == 0) {
            String len = g.op("Slice", g.op("Shape", pc), g.constInt64(2), g.constInt64(3));
            pc = g.op("Slice", List.of(pc, g.constInt64(0), g.op("Sub", len, g.constInt64(1)), g.constInt64(2)));
        }
        pc = g.op("Transpose", gelu(pc), attrInts("perm", 0, 2, 1));
        x = g.op("Add", x, pc);
        x = layerNorm(x, p + "encoder.layer_norm", h.eps());
        List<String> states = new ArrayList<>();
        states.add(x);
        for (int l = 0; l < h.layers(); l++) {
            x = hubertLayer(x, p + "encoder.layers." + l + ".");
            states.add(x);
        }
        String sum = g.op("Sum", states);
        return g.op("Div", sum, g.scalar(states.size()));
    }

    private String hubertLayer(String x, String p) {
        CodecSpec.Hubert h = spec.hubert();
        int heads = h.heads(), hd = h.hidden() / heads;
        String q = g.op("Mul", linear(x, p + "attention.q_proj"), g.scalar((float) Math.pow(hd, -0.5)));
        String k = linear(x, p + "attention.k_proj");
        String v = linear(x, p + "attention.v_proj");
        q = heads(q, heads, hd);
        k = heads(k, heads, hd);
        v = heads(v, heads, hd);
        String scores = g.op("MatMul", q, g.op("Transpose", k, attrInts("perm", 0, 1, 3, 2)));
        String probs = g.op("Softmax", scores, attr("axis", -1));
        String o = g.op("MatMul", probs, v); // [1, heads, T, hd]
        o = g.op("Transpose", o, attrInts("perm", 0, 2, 1, 3));
        o = g.op("Reshape", o, g.constInt64(0, 0, h.hidden()));
        o = linear(o, p + "attention.out_proj");
        x = layerNorm(g.op("Add", x, o), p + "layer_norm", h.eps());
        String f = linear(gelu(linear(x, p + "feed_forward.intermediate_dense")), p + "feed_forward.output_dense");
        return layerNorm(g.op("Add", x, f), p + "final_layer_norm", h.eps());
    }

    /** [1, T, heads·hd] → [1, heads, T, hd] */
    private String heads(String x, int heads, int hd) {
        x = g.op("Reshape", x, g.constInt64(0, 0, heads, hd));
        return g.op("Transpose", x, attrInts("perm", 0, 2, 1, 3));
    }

    private String semanticEncoder(String x) {
        String p = "encoder_semantic.";
        int k = spec.semKernel();
        x = conv(x, p + "conv", 1, k / 2, 1, 1);
        for (int b = 0; b < spec.semStrides().length; b++) {
            String bp = p + "conv_blocks." + b + ".";
            for (int r = 0; r < spec.semDilations().length; r++) {
                int d = spec.semDilations()[r];
                String rp = bp + "res_units." + r + ".";
                String y = g.op("Elu", x, attr("alpha", 1f));
                y = conv(y, rp + "conv1", 1, ((spec.semUnitKernel() - 1) / 2) * d, d, 1);
                y = g.op("Elu", y, attr("alpha", 1f));
                y = conv(y, rp + "conv2", 1, 0, 1, 1);
                x = g.op("Add", x, y);
            }
            int s = spec.semStrides()[b];
            int kb = s == 1 ? 3 : 2 * s;
            x = conv(x, bp + "conv", s, (kb - 1) / 2, 1, 1);
        }
        return x;
    }

    // ---- residual vector quantization -------------------------------------------------------------------------------

    /**
     * For each quantizer: project_in, nearest codebook entry by the reference's own expression
     * {@code argmax −(‖x‖² − 2·x·E + ‖E‖²)} (= first index of the minimum), subtract project_out(embed[idx]).
     * Input [T, H]; output codes [1, Q, T].
     */
    private String residualQuantize(String e) {
        int h = spec.latentHidden(), n = spec.codebookSize(), d = spec.codebookDim();
        String residual = e;
        List<String> codes = new ArrayList<>();
        for (int q = 0; q < spec.numQuantizers(); q++) {
            String p = "quantizer.quantizers." + q + ".";
            String xin = w.has(p + "project_in.weight") ? linear(residual, p + "project_in") : residual; // [T, d]
            float[] embed = w.get(p + "codebook.embed", n, d).data();
            float[] embedT = new float[d * n];
            float[] sq = new float[n];
            for (int c = 0; c < n; c++) {
                float s = 0;
                for (int i = 0; i < d; i++) {
                    embedT[i * n + c] = embed[c * d + i];
                    s += embed[c * d + i] * embed[c * d + i];
                }
                sq[c] = s;
            }
            String xsq = g.op("ReduceSumSquare", xin, attrInts("axes", 1), attr("keepdims", 1)); // [T, 1]
            String dot = g.op("MatMul", xin, g.init("embed_t_" + q, embedT, d, n)); // [T, n]
            String dist = g.op("Add", g.op("Sub", xsq, g.op("Mul", dot, g.scalar(2f))), g.init("embed_sq_" + q, sq, 1, n));
            String idx = g.op("ArgMin", dist, attr("axis", 1), attr("keepdims", 0), attr("select_last_index", 0)); // [T]
            codes.add(g.op("Unsqueeze", idx, g.constInt64(0)));
            if (q + 1 < spec.numQuantizers()) {
                double[] out = projectOutTable(q);
                float[] table = new float[out.length];
                for (int i = 0; i < out.length; i++) table[i] = (float) out[i];
                String quant = g.op("Gather", g.init("quantized_table_" + q, table, n, h), idx, attr("axis", 0)); // [T, H]
                residual = g.op("Sub", residual, quant);
            }
        }
        String all = g.op("Concat", codes, attr("axis", 0)); // [Q, T]
        return g.op("Unsqueeze", all, g.constInt64(0));
    }

    // ---- layers -----------------------------------------------------------------------------------------------------

    private String weight(String name) {
        Tensor t = w.get(name);
        return g.init(name, t.data(), t.shape());
    }

    /** A value feeding a conv, with an optional per-channel factor still to apply (folded into that conv's weights). */
    private record Act(String value, float[] channelScale) {}

    private String conv(String x, String prefix, int stride, int pad, int dilation, int groups) {
        return conv(new Act(x, null), prefix, stride, pad, dilation, groups, null);
    }

    /**
     * Conv1d. {@code in.channelScale} multiplies each input channel, {@code outScale} each output channel (weights and
     * bias); both are folded into the weights, which is exact with zero padding (scale · 0 = 0).
     */
    private String conv(Act in, String prefix, int stride, int pad, int dilation, int groups, float[] outScale) {
        Tensor wt = w.get(prefix + ".weight");
        float[] wd = wt.data();
        if (in.channelScale != null || outScale != null) {
            int out = wt.dim(0), cin = wt.dim(1), k = wt.dim(2);
            wd = wd.clone();
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < cin; c++) {
                    float f = (in.channelScale == null ? 1f : in.channelScale[(o / (out / groups)) * cin + c]) * (outScale == null ? 1f : outScale[o]);
                    for (int j = 0; j < k; j++) wd[(o * cin + c) * k + j] *= f;
                }
            }
        }
        List<String> inputs = new ArrayList<>(List.of(in.value, g.init(prefix + ".weight", wd, wt.shape())));
        if (w.has(prefix + ".bias")) {
            float[] b = w.get(prefix + ".bias").data().clone();
            if (outScale != null) for (int o = 0; o < b.length; o++) b[o] *= outScale[o];
            inputs.add(g.init(prefix + ".bias", b, b.length));
        }
        return g.op("Conv", inputs, attrInts("kernel_shape", wt.dim(2)), attrInts("strides", stride), attrInts("pads", pad, pad),
                attrInts("dilations", dilation), attr("group", groups));
    }

    /**
     * ConvTranspose1d with kernel 2s, stride s, padding p and output length L·s (the DAC decoder's upsampler), written
     * as an ordinary Conv: output q = s·m + r (before cropping p) receives tap r from input m and tap r + s from
     * input m − 1, i.e. a kernel-2 Conv with s·C_out output channels, then an interleave and a crop. ORT runs this as
     * one GEMM, several times faster than its ConvTranspose (whose col2im is the bottleneck).
     */
    private String convTranspose(Act in, String prefix, int s, int p) {
        if (!optimized) {
            if (in.channelScale != null) throw new IllegalStateException("literal ConvTranspose takes an unscaled input");
            Tensor wt = w.get(prefix + ".weight");
            List<String> inputs = new ArrayList<>(List.of(in.value, g.init(prefix + ".weight", wt.data(), wt.shape())));
            if (w.has(prefix + ".bias")) inputs.add(weight(prefix + ".bias"));
            return g.op("ConvTranspose", inputs, attrInts("kernel_shape", wt.dim(2)), attrInts("strides", s),
                    attrInts("pads", p, p), attrInts("output_padding", s % 2));
        }
        Tensor wt = w.get(prefix + ".weight"); // [C_in, C_out, 2s]
        int cin = wt.dim(0), cout = wt.dim(1), k = wt.dim(2);
        if (k != 2 * s) throw new CodecExportException(w.source() + ": " + prefix + ".weight has kernel " + k + ", expected 2·stride = " + 2 * s);
        float[] src = wt.data();
        float[] kern = new float[s * cout * cin * 2]; // [s·C_out, C_in, 2]
        for (int r = 0; r < s; r++) {
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    float f = in.channelScale == null ? 1f : in.channelScale[c];
                    int dst = ((r * cout + o) * cin + c) * 2;
                    kern[dst] = src[(c * cout + o) * k + r + s] * f; // tap on input m − 1
                    kern[dst + 1] = src[(c * cout + o) * k + r] * f; // tap on input m
                }
            }
        }
        List<String> inputs = new ArrayList<>(List.of(in.value, g.init(prefix + ".weight_polyphase", kern, s * cout, cin, 2)));
        if (w.has(prefix + ".bias")) {
            float[] b = w.get(prefix + ".bias").data();
            float[] rb = new float[s * cout];
            for (int r = 0; r < s; r++) System.arraycopy(b, 0, rb, r * cout, cout);
            inputs.add(g.init(prefix + ".bias_polyphase", rb, s * cout));
        }
        String z = g.op("Conv", inputs, attrInts("kernel_shape", 2), attrInts("pads", 1, 1)); // [1, s·C_out, L+1]
        z = g.op("Reshape", z, g.constInt64(0, s, cout, -1)); // [1, s, C_out, L+1]
        z = g.op("Transpose", z, attrInts("perm", 0, 2, 3, 1)); // [1, C_out, L+1, s]
        z = g.op("Reshape", z, g.constInt64(0, cout, -1)); // [1, C_out, (L+1)·s]
        String len = g.op("Sub", g.op("Slice", g.op("Shape", z), g.constInt64(2), g.constInt64(3)), g.constInt64(s - p)); // p + L·s
        return g.op("Slice", List.of(z, g.constInt64(p), len, g.constInt64(2)));
    }

    /** DAC residual unit: x + conv2(snake2(conv1(snake1(x)))), conv1 k7 dilated, lengths preserved. */
    private String residualUnit(String x, String prefix, int dilation) {
        float[] alpha2 = w.get(prefix + ".snake2.alpha").data();
        boolean fold2 = optimized && foldable(alpha2);
        // snake2's α is folded into conv1's output channels when exact, so conv1 yields α·y directly
        String y = conv(snake(x, prefix + ".snake1", false), prefix + ".conv1", 1, 3 * dilation, dilation, 1, fold2 ? alpha2 : null);
        y = conv(snake(y, prefix + ".snake2", fold2), prefix + ".conv2", 1, 0, 1, 1, null);
        return g.op("Add", x, y);
    }

    /**
     * Snake(x) = x + 1/(α + 1e-9) · sin²(αx), α per channel. Where α + 1e-9 rounds to α in float32 (every channel
     * with |α| above ~1e-2, i.e. all trained ones) this equals (1/α) · (z + sin²z) with z = αx, and the per-channel
     * 1/α is handed to the next conv to fold into its weights: three elementwise ops instead of five. Otherwise the
     * literal formula is built.
     *
     * @param prescaled the input already is z = αx (α folded into the producing conv)
     */
    private Act snake(String x, String prefix, boolean prescaled) {
        Tensor a = w.get(prefix + ".alpha");
        float[] al = a.data();
        float[] inv = new float[al.length];
        for (int i = 0; i < inv.length; i++) inv[i] = 1f / (al[i] + 1e-9f);
        if (optimized && foldable(al)) {
            String z = prescaled ? x : g.op("Mul", x, g.init(prefix + ".alpha", al, a.shape()));
            String s = g.op("Sin", z);
            return new Act(g.op("Add", z, g.op("Mul", s, s)), inv);
        }
        if (prescaled) throw new IllegalStateException("prescaled snake input needs a foldable alpha: " + prefix);
        String s = g.op("Sin", g.op("Mul", x, g.init(prefix + ".alpha", al, a.shape())));
        s = g.op("Mul", s, s);
        s = g.op("Mul", s, g.init(prefix + ".alpha_inv", inv, a.shape()));
        return new Act(g.op("Add", x, s), null);
    }

    /** True when 1/(α + 1e-9) == 1/α exactly in float32 for every channel (and no α is 0). */
    private static boolean foldable(float[] alpha) {
        for (float v : alpha) if (v == 0f || v + 1e-9f != v || !Float.isFinite(1f / v)) return false;
        return true;
    }

    /** nn.Linear on the last axis: x · Wᵀ + b, Wᵀ stored pre-transposed. */
    private String linear(String x, String prefix) {
        Tensor wt = w.get(prefix + ".weight");
        int out = wt.dim(0), in = wt.dim(1);
        float[] t = new float[in * out];
        for (int o = 0; o < out; o++) for (int i = 0; i < in; i++) t[i * out + o] = wt.data()[o * in + i];
        String y = g.op("MatMul", x, g.init(prefix + ".weight_t", t, in, out));
        return w.has(prefix + ".bias") ? g.op("Add", y, weight(prefix + ".bias")) : y;
    }

    private String layerNorm(String x, String prefix, double eps) {
        return g.op("LayerNormalization", List.of(x, weight(prefix + ".weight"), weight(prefix + ".bias")),
                attr("axis", -1), attr("epsilon", (float) eps));
    }

    /** Exact (erf) GELU, as torch's default; ORT fuses this pattern into its Gelu kernel. */
    private String gelu(String x) {
        String e = g.op("Erf", g.op("Mul", x, g.scalar((float) (1 / Math.sqrt(2)))));
        e = g.op("Add", e, g.scalar(1f));
        return g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), e);
    }
}
