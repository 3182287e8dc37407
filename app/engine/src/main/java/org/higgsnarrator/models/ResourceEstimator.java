package org.higgsnarrator.models;

import org.higgsnarrator.pkg.Precision;
import java.util.EnumMap;
import java.util.Map;
import org.higgsnarrator.config.ModelConfig;

/**
 * Disk and memory a model package needs, per precision, from the model's dimensions alone (before converting).
 *
 * <p>Layout assumed (what the converter writes; weights stored once, shared by the prefill and decode graphs):
 * <pre>
 *   embeddings  embed_tokens [vocab, hidden], audio codebook embeddings [codebooks·(codebookSize+2), hidden],
 *               audio head [codebooks·(codebookSize+2), hidden]          → fp32 in fp32 packages, else fp16
 *   matrices    per layer q [hidden, heads·headDim], k and v [hidden, kvHeads·headDim], o [heads·headDim, hidden],
 *               text MLP 3·[hidden, intermediate], audio MLP 3·[audioHidden, audioIntermediate] (DualFFN layers)
 *                                                                         → the package precision (block scales incl.)
 *   norms       2 per layer (+2 per DualFFN layer) + final, [hidden]      → fp32
 *   codec       every tensor of the audio tokenizer                       → fp32 (small; quality-critical)
 * </pre>
 * The checkpoint's text LM head is not counted: TTS never uses it and the converter skips it.
 *
 * <p>Memory: the weights resident, the CPU prefill session's prepacked copy of the matrices ({@link #prepackedPrefillBytes}),
 * a KV cache for {@code contextTokens} positions (layers · 2 · kvHeads · headDim · 4 bytes each; 2 in the packages with
 * fp16 activations), and a fixed
 * {@link #RUNTIME_OVERHEAD} for ONNX Runtime's arenas, activations and the JVM. These are estimates for planning (is
 * there room?), not measurements.
 */
public final class ResourceEstimator {
    private ResourceEstimator() {}

    /** ORT arenas + prefill activations + JVM heap of the app: a planning allowance, not a measurement. */
    public static final long RUNTIME_OVERHEAD = 768L << 20;

    /** Parameter counts by storage class. */
    public record ParameterCounts(long embeddings, long matrices, long norms, long codec) {
        public long total() {
            return embeddings + matrices + norms + codec;
        }

        /** The generation model alone (what a checkpoint's safetensors hold minus the unused text head). */
        public long generationModel() {
            return embeddings + matrices + norms;
        }
    }

    /**
     * @param packageBytes weights on disk (= resident weights when loaded)
     * @param diskBytes    free space an import needs (the package is written to a temporary folder on the same disk
     *                     and moved into place, so the package size plus the tokenizer)
     * @param kvCacheBytes the KV cache for the budgeted context
     * @param prepackBytes the prefill session's prepacked copy of the matrices
     * @param ramBytes     memory to run it: weights + prepacked prefill copy + KV cache + runtime overhead
     */
    public record Estimate(Precision precision, long parameters, long packageBytes, long diskBytes, long kvCacheBytes, long prepackBytes, long ramBytes) {}

    /**
     * Memory the CPU prefill session keeps for its prepacked weights ({@code RuntimeOptions.prepackPrefill}, on by
     * default since it made quantized prefill several times faster, docs/performance.md): one more copy of every
     * matrix at the package's precision. A planning allowance on the safe side: {@code SessionMemoryBench} measured
     * 0.3–0.75 of the package size for it (int4 and fp32, hidden 1024, 8 layers).
     */
    public static long prepackedPrefillBytes(ModelConfig c, Precision p) {
        return Math.round(count(c, 0).matrices() * p.bytesPerMatrixWeight());
    }

    public static ParameterCounts count(ModelConfig c, long codecParameters) {
        long entries = (long) c.numCodebooks() * c.codebookEntries();
        long embeddings = (long) c.vocabSize() * c.hiddenSize() + 2 * entries * c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long attention = (long) c.hiddenSize() * q + 2L * c.hiddenSize() * kv + q * c.hiddenSize();
        long textMlp = 3L * c.hiddenSize() * c.intermediateSize();
        long audioMlp = 3L * c.audioFfnHiddenSize() * c.audioFfnIntermediateSize();
        long matrices = 0;
        long norms = c.hiddenSize();
        for (int layer = 0; layer < c.numLayers(); layer++) {
            boolean dual = c.isDualFfn(layer);
            matrices += attention + textMlp + (dual ? audioMlp : 0);
            norms += 2L * c.hiddenSize() + (dual ? 2L * c.hiddenSize() : 0);
        }
        return new ParameterCounts(embeddings, matrices, norms, codecParameters);
    }

    public static Estimate estimate(ModelConfig c, long codecParameters, long tokenizerBytes, Precision p, int contextTokens) {
        ParameterCounts n = count(c, codecParameters);
        long weights = Math.round(n.embeddings() * p.bytesPerEmbeddingWeight() + n.matrices() * p.bytesPerMatrixWeight())
                + 4 * n.norms() + 4 * n.codec();
        long kv = kvCacheBytes(c, contextTokens, p);
        long prepack = prepackedPrefillBytes(c, p);
        return new Estimate(p, n.total(), weights + tokenizerBytes, weights + tokenizerBytes, kv, prepack, weights + prepack + kv + RUNTIME_OVERHEAD);
    }

    public static Map<Precision, Estimate> estimateAll(ModelConfig c, long codecParameters, long tokenizerBytes, int contextTokens) {
        Map<Precision, Estimate> out = new EnumMap<>(Precision.class);
        for (Precision p : Precision.values()) out.put(p, estimate(c, codecParameters, tokenizerBytes, p, contextTokens));
        return out;
    }

    /** float32 keys and values for every layer: [layers, 2, kvHeads, context, headDim]. */
    public static long kvCacheBytes(ModelConfig c, int contextTokens) {
        return (long) c.numLayers() * 2 * c.numKvHeads() * c.headDim() * contextTokens * Float.BYTES;
    }

    /** The KV cache of a package of precision {@code p}, in its KV type (float16 in the fp16 and fp16-activation packages). */
    public static long kvCacheBytes(ModelConfig c, int contextTokens, Precision p) {
        return kvCacheBytes(c, contextTokens) / Float.BYTES * p.kvType().bytes();
    }

    /** Memory to run an installed package: its weights as measured on disk plus the prepacked prefill copy, KV cache and overhead. */
    public static long ramForPackage(ModelConfig c, Precision p, long packageBytes, int contextTokens) {
        return packageBytes + (c == null ? 0 : kvCacheBytes(c, contextTokens, p) + prepackedPrefillBytes(c, p)) + RUNTIME_OVERHEAD;
    }
}
