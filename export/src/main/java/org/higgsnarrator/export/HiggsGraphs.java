package org.higgsnarrator.export;

import static org.higgsnarrator.export.onnx.OnnxGraph.attr;
import static org.higgsnarrator.export.onnx.OnnxGraph.attrInts;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.export.onnx.OnnxGraph;
import org.higgsnarrator.pkg.GraphIo;
import org.higgsnarrator.pkg.GraphIo.Role;
import org.higgsnarrator.pkg.PackageManifest.GraphSpec;
import org.higgsnarrator.pkg.Precision;

/**
 * The two entry points of the generation model as ONNX graphs over ONE set of initializers in the shared weight file
 * (model spec "Forward pass"):
 * <ul>
 *   <li>{@code prefill}: a mixed text/audio prompt. Text positions embed through {@code embed_tokens}, audio positions
 *       sum their 8 codebook embeddings; every layer routes each position to its norm weights (Where) and its MLP
 *       (rows gathered by NonZero/GatherND, scattered back): audio positions to the audio expert, text positions to
 *       the text MLP. Audio positions are audio output ({@code <|AUDIO_OUT|>}, the delay token) and, since revision 5,
 *       audio input ({@code <|AUDIO|>}: a voice in the system message), as in Boson's release: both are embedded by
 *       the same {@code _embed_audio_ids} over {@code audio_codebook_embeddings}
 *       (boson_multimodal/model/higgs_audio/modeling_higgs_audio.py L918-937, L1235-1248), and the dual-FFN layers
 *       route by {@code audio_discrete_codes_mask = audio_in_discrete_codes_mask | audio_out_mask} (L1314, passed as
 *       the layers' {@code audio_out_mask} at L1114), so audio-input codes go through the audio expert too. All
 *       positions attend alike ({@code use_audio_out_self_attention} is off in the release; CheckpointConfigReader
 *       refuses checkpoints that turn it on). Logits only for the positions in {@code logits_index}.</li>
 *   <li>{@code decode_step}: audio frames only; never reads the text embedding or text MLP.</li>
 * </ul>
 * Attention is com.microsoft GroupQueryAttention (BNSH KV cache of a fixed capacity, past and present may share one
 * buffer). The query, key and value projections are one stored matrix [q | k | v], and each MLP's gate and up
 * projections one [gate | up] (one matrix multiplication per layer instead of three, and one instead of two: fewer
 * kernel launches and thread-pool rounds per decode step). Where the head size is a multiple of 16 (ORT's
 * requirement), GQA applies the rotary itself ({@code do_rotary}, positions from {@code seqlens_k}, which equal the
 * engine's position ids: a sequence's positions are its cache slots) on the packed projection; otherwise (the tiny
 * conformance model, head size 8) rotary is applied before it with plain ops from the cos/sin tables.
 */
final class HiggsGraphs {
    /** Bumped whenever the graphs change, so cached conversions (KitPackages) are redone. */
    static final int REVISION = 7; // 5: audio-input tokens in the prefill (fidelity); 6: decode_step takes a symbolic batch (one KV slot and one seqlens_k per sequence); 7: stacked q|k|v and gate|up matrices, GQA's own rotary where head_dim % 16 == 0, attention scale in q's rows

    /**
     * Checkpoint matrices stored stacked as one, row-wise in the order of {@code members} (name suffixes within a
     * layer), under the name {@code stored}.
     */
    private record Stack(String stored, List<String> members) {}

    private static final List<Stack> STACKS = List.of(
            new Stack("self_attn.qkv_proj.weight", List.of("self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight")),
            new Stack("mlp.gate_up_proj.weight", List.of("mlp.gate_proj.weight", "mlp.up_proj.weight")),
            new Stack("audio_mlp.gate_up_proj.weight", List.of("audio_mlp.gate_proj.weight", "audio_mlp.up_proj.weight")));

    /** The stack whose first member {@code name} is, with the layer prefix it has there, or null. */
    private static Map.Entry<String, Stack> opened(String name) {
        for (Stack st : STACKS) {
            String first = st.members().getFirst();
            if (name.endsWith("." + first)) return Map.entry(name.substring(0, name.length() - first.length()), st);
        }
        return null;
    }

    /** The checkpoint names (full, in row order) of the stack {@code name} opens, or null if it opens none. */
    static List<String> stackOpenedBy(String name) {
        var o = opened(name);
        return o == null ? null : o.getValue().members().stream().map(m -> o.getKey() + m).toList();
    }

    /**
     * The factor each member of the stack {@code first} opens is stored times: q's rows carry the attention scale
     * where the graphs fold it ({@link #queryFactor}), every other member 1.
     */
    static float[] stackFactors(String first, ModelConfig c, Precision p) {
        List<String> members = stackOpenedBy(first);
        if (members == null) throw new IllegalArgumentException(first + " opens no stack");
        float[] f = new float[members.size()];
        for (int i = 0; i < f.length; i++) f[i] = members.get(i).endsWith(".self_attn.q_proj.weight") ? queryFactor(c, p) : 1f;
        return f;
    }

    /** True for a checkpoint matrix stored inside a stack that an earlier matrix opens (k, v, up). */
    static boolean stackedLater(String name) {
        for (Stack st : STACKS) {
            for (String m : st.members().subList(1, st.members().size())) if (name.endsWith("." + m)) return true;
        }
        return false;
    }

    /** The stored name of the stack {@code first} opens: {@code layers.3.audio_mlp.gate_up_proj.weight}. */
    static String stackedName(String first) {
        var o = opened(first);
        if (o == null) throw new IllegalArgumentException(first + " opens no stack");
        return o.getKey() + o.getValue().stored();
    }

    /**
     * The attention scale 1/sqrt(head_dim) goes into the query projection's rows (fp32 activations) and GQA gets scale
     * 1: ORT's CPU GQA multiplies Q·Kᵀ with alpha = scale, and MLAS takes its in-place one-row kernel only for
     * alpha == 1 — otherwise every query head of a decode step packs (copies) its whole key cache first
     * (docs/performance.md, "Attention at long contexts"). Rotary is a rotation, so scaling q before or after it is the
     * same. fp16 graphs (meant for CUDA) keep the scale inside GQA rather than round it into fp16 weights.
     */
    static float queryFactor(ModelConfig c, Precision p) {
        return foldsScale(p) ? (float) (1.0 / Math.sqrt(c.headDim())) : 1f;
    }

    private static boolean foldsScale(Precision p) {
        return OnnxGraph.dataType(p.activationType()) == DataType.FLOAT;
    }

    private final ModelConfig c;
    private final Map<String, WeightEncoder.Stored> plain;
    private final Map<String, WeightEncoder.Quantized> quant;
    private final String dataFile;
    private final Precision precision;
    private final DataType act; // activation type
    private final int accuracyLevel; // MatMulNBits compute type (ExportOptions.accuracyLevel)
    private final boolean gqaRotary; // GQA applies the rotary (ExportOptions.gqaRotary and head_dim % 16 == 0)

    HiggsGraphs(ModelConfig c, Map<String, WeightEncoder.Stored> plain, Map<String, WeightEncoder.Quantized> quant,
                String dataFile, Precision precision, int accuracyLevel, boolean gqaRotary) {
        this.c = c;
        this.plain = plain;
        this.quant = quant;
        this.dataFile = dataFile;
        this.precision = precision;
        this.accuracyLevel = accuracyLevel;
        this.act = OnnxGraph.dataType(precision.activationType());
        this.gqaRotary = gqaRotary && c.headDim() % 16 == 0;
    }

    /** The graph's inputs and outputs: the package I/O table for this model and precision. */
    GraphIo.Io io(Role role) {
        return GraphIo.generation(role, c, precision.kvType());
    }

    ModelProto build(Role role) {
        boolean prefill = role == Role.PREFILL;
        OnnxGraph g = new OnnxGraph(role.id());
        current = g;
        int k = c.numCodebooks(), ce = c.codebookEntries();
        GraphIo.Io io = io(role);
        io.inputs().forEach(g::input);
        io.outputs().forEach(g::output);

        // ---- embeddings ----
        long[] offsets = new long[k];
        for (int i = 0; i < k; i++) offsets[i] = (long) i * ce;
        String codes = g.op("Add", GraphIo.AUDIO_CODES, g.constInt64(offsets));                   // [1,S,K]
        String audioRows = toFloat(g, g.op("Gather", w("audio_codebook_embeddings.weight"), codes), "audio_codebook_embeddings.weight");
        String audioEmb = toAct(g, g.op("ReduceSum", List.of(audioRows, g.constInt64(2)), attr("keepdims", 0L))); // [1,S,H]
        String x;
        String mask = null;
        if (prefill) {
            // audio out (<|AUDIO_OUT|>, delay token) or audio in (<|AUDIO|>): embedded from codes, routed to the audio
            // expert (modeling_higgs_audio.py L1314: audio_in_discrete_codes_mask | audio_out_mask)
            String isAudio = g.op("Or", g.op("Or", g.op("Equal", GraphIo.INPUT_IDS, g.scalarInt64(c.tokens().audioOut())),
                    g.op("Equal", GraphIo.INPUT_IDS, g.scalarInt64(c.tokens().audioDelay()))),
                    g.op("Equal", GraphIo.INPUT_IDS, g.scalarInt64(c.tokens().audioIn())));       // [1,S] bool
            mask = g.op("Unsqueeze", isAudio, g.constInt64(2));                               // [1,S,1]
            String flat = g.op("Squeeze", isAudio, g.constInt64(0));                           // [S]
            audioIdx = g.op("Transpose", g.op("NonZero", flat), attrInts("perm", 1, 0));       // [A,1]
            textIdx = g.op("Transpose", g.op("NonZero", g.op("Not", flat)), attrInts("perm", 1, 0)); // [T,1]
            String textEmb = toAct(g, toFloat(g, g.op("Gather", w("embed_tokens.weight"), GraphIo.INPUT_IDS), "embed_tokens.weight"));
            x = g.op("Where", List.of(mask, audioEmb, textEmb));
        } else {
            x = audioEmb;
        }

        // ---- rotary tables (stored in the activation type) for these positions: [1,S,1,hd]; GQA's own: [maxPos, hd/2] ----
        String cos = null, sin = null;
        if (!gqaRotary) {
            cos = g.op("Unsqueeze", g.op("Concat", List.of(dup(g, "rope.cos", GraphIo.POSITION_IDS)), attr("axis", -1L)), g.constInt64(2));
            sin = g.op("Unsqueeze", g.op("Concat", List.of(dup(g, "rope.sin", GraphIo.POSITION_IDS)), attr("axis", -1L)), g.constInt64(2));
        }
        boolean foldScale = foldsScale(precision); // queryFactor: the scale is in q's rows
        // unit RMSNorm scale for routed norms; a decode step is all-audio and uses the audio weights directly
        String ones = prefill ? g.constFloat(act, new long[] {c.hiddenSize()}, onesArray(c.hiddenSize())) : null;
        float eps = (float) c.rmsNormEps();
        long qDim = (long) c.numHeads() * c.headDim(), kvDim = (long) c.numKvHeads() * c.headDim();

        for (int l = 0; l < c.numLayers(); l++) {
            String p = "layers." + l + ".";
            String n1 = norm(g, x, mask, p + "audio_input_layernorm.weight", p + "input_layernorm.weight", ones, eps);
            String qkv = linear(g, n1, p + "self_attn.qkv_proj.weight");                           // [1,S,q+2kv]
            List<AttributeProto> attrs = new java.util.ArrayList<>(List.of(attr("num_heads", (long) c.numHeads()), attr("kv_num_heads", (long) c.numKvHeads())));
            if (foldScale) attrs.add(attr("scale", 1f));
            List<String> inputs;
            if (gqaRotary) {
                // packed q|k|v; GQA rotates q and k at positions seqlens_k - S + 1 … seqlens_k (rotate_half, not interleaved)
                attrs.add(attr("do_rotary", 1L));
                attrs.add(attr("rotary_interleaved", 0L));
                inputs = List.of(qkv, "", "", GraphIo.pastKey(l), GraphIo.pastValue(l), GraphIo.SEQLENS_K, GraphIo.TOTAL_SEQUENCE_LENGTH,
                        w("rope.cos"), w("rope.sin"));
            } else {
                String[] parts = g.opDomain("", "Split", List.of(qkv, g.constInt64(qDim, kvDim, kvDim)), 3, attr("axis", -1L));
                inputs = List.of(rope(g, parts[0], cos, sin), rope(g, parts[1], cos, sin), parts[2],
                        GraphIo.pastKey(l), GraphIo.pastValue(l), GraphIo.SEQLENS_K, GraphIo.TOTAL_SEQUENCE_LENGTH);
            }
            String attn = p + "attn";
            g.node(OnnxGraph.MS, "GroupQueryAttention", inputs, List.of(attn, GraphIo.presentKey(l), GraphIo.presentValue(l)),
                    attrs.toArray(AttributeProto[]::new));
            String h = g.op("Add", x, linear(g, attn, p + "self_attn.o_proj.weight"));
            String n2 = norm(g, h, mask, p + "audio_post_attention_layernorm.weight", p + "post_attention_layernorm.weight", ones, eps);
            String ffn;
            if (prefill) {
                // route rows: each MLP runs only on its own positions, results scattered back in place
                String n2f = g.op("Squeeze", n2, g.constInt64(0));                                  // [S,H]
                String outA = mlp(g, g.op("GatherND", n2f, audioIdx), p + "audio_mlp.", c.audioFfnIntermediateSize());           // [A,H]
                String outT = mlp(g, g.op("GatherND", n2f, textIdx), p + "mlp.", c.intermediateSize());                  // [T,H]
                String merged = g.op("ScatterND", List.of(g.op("ScatterND", List.of(n2f, audioIdx, outA)), textIdx, outT));
                ffn = g.op("Unsqueeze", merged, g.constInt64(0));
            } else {
                ffn = mlp(g, n2, p + "audio_mlp.", c.audioFfnIntermediateSize());
            }
            x = g.op("Add", h, ffn);
        }
        String last = prefill ? g.op("Gather", x, GraphIo.LOGITS_INDEX, attr("axis", 1L)) : x;
        String hn = g.op("SimplifiedLayerNormalization", List.of(last, w("norm.weight")), attr("epsilon", eps), attr("axis", -1L));
        String logits = linear(g, fromAct(g, hn), "audio_decoder_proj.audio_lm_head.weight");
        g.node("", "Reshape", List.of(logits, g.constInt64(0, 0, k, ce)), List.of(GraphIo.LOGITS));
        return g.model("higgs-narrator export", "Higgs Audio v2 generation model, " + role.id() + ", " + precision.id());
    }

    private String[] dup(OnnxGraph g, String table, String positions) {
        String t = g.op("Gather", w(table), positions); // [1,S,hd/2]
        return new String[] {t, t};
    }

    private static float[] onesArray(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    /** Cast rows gathered from a stored table to float32 when the table is not float32. */
    private String toFloat(OnnxGraph g, String x, String table) {
        return plain.get(table).type() == DataType.FLOAT ? x : g.op("Cast", x, attr("to", (long) DataType.FLOAT.getNumber()));
    }

    /** Cast a float32 tensor to the activation type (no-op for fp32 graphs). */
    private String toAct(OnnxGraph g, String x) {
        return act == DataType.FLOAT ? x : g.op("Cast", x, attr("to", (long) act.getNumber()));
    }

    private String fromAct(OnnxGraph g, String x) {
        return act == DataType.FLOAT ? x : g.op("Cast", x, attr("to", (long) DataType.FLOAT.getNumber()));
    }

    /** RMSNorm routed per position: audio weight where mask, text weight elsewhere (audio only when mask is null). */
    private String norm(OnnxGraph g, String x, String mask, String audioW, String textW, String ones, float eps) {
        if (mask == null) {
            return g.op("SimplifiedLayerNormalization", List.of(x, w(audioW)), attr("epsilon", eps), attr("axis", -1L));
        }
        String n = g.op("SimplifiedLayerNormalization", List.of(x, ones), attr("epsilon", eps), attr("axis", -1L));
        return g.op("Mul", n, g.op("Where", List.of(mask, w(audioW), w(textW))));
    }

    /** x @ W^T for a checkpoint matrix W [out, in]: MatMul on the stored transpose, or MatMulNBits. */
    private String linear(OnnxGraph g, String x, String weight) {
        WeightEncoder.Quantized qz = quant.get(weight);
        if (qz == null) return g.op("MatMul", x, w(weight));
        return g.opDomain(OnnxGraph.MS, "MatMulNBits",
                List.of(x, ext(qz.b()), ext(qz.scales()), ext(qz.zeros())), 1,
                attr("K", (long) qz.k()), attr("N", (long) qz.n()), attr("bits", (long) qz.bits()),
                attr("block_size", (long) qz.blockSize()), attr("accuracy_level", (long) accuracyLevel))[0];
    }

    /** down(silu(gate(x)) * up(x)), gate and up from the one stacked [gate | up] matrix. */
    private String mlp(OnnxGraph g, String x, String prefix, long width) {
        String[] gateUp = g.opDomain("", "Split", List.of(linear(g, x, prefix + "gate_up_proj.weight"), g.constInt64(width, width)), 2,
                attr("axis", -1L));
        String gate = gateUp[0];
        String silu = g.op("Mul", gate, g.op("Sigmoid", gate));
        return linear(g, g.op("Mul", silu, gateUp[1]), prefix + "down_proj.weight");
    }

    /** Llama rotary (rotate_half, not interleaved) on [1,S,heads*hd] with cos/sin [1,S,1,hd]. */
    private String rope(OnnxGraph g, String x, String cos, String sin) {
        int hd = c.headDim();
        String x4 = g.op("Reshape", x, g.constInt64(0, 0, -1, hd));
        String[] halves = g.opDomain("", "Split", List.of(x4, g.constInt64(hd / 2, hd / 2)), 2, attr("axis", -1L));
        String rot = g.op("Concat", List.of(g.op("Neg", halves[1]), halves[0]), attr("axis", -1L));
        String y = g.op("Add", g.op("Mul", x4, cos), g.op("Mul", rot, sin));
        return g.op("Reshape", y, g.constInt64(0, 0, -1));
    }

    private String w(String name) {
        WeightEncoder.Stored s = plain.get(name);
        if (s == null) throw new IllegalStateException("weight " + name + " was not written");
        return ext(s);
    }

    /** Registers an initializer in the graph being built (once per graph; both graphs point at the same bytes). */
    private String ext(WeightEncoder.Stored s) {
        return current.external(s.name(), s.type(), s.dims(), dataFile, s.entry().offset(), s.entry().length());
    }

    private OnnxGraph current;
    /** Prefill only: positions of audio / text tokens, [A,1] and [T,1] int64 (NonZero of the id mask). */
    private String audioIdx, textIdx;

    /** Manifest description of a graph: its file and the I/O table. */
    GraphSpec spec(String file, Role role) {
        return io(role).spec(file, List.of(dataFile));
    }
}
