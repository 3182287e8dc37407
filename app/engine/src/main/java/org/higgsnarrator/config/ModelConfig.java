package org.higgsnarrator.config;

import java.util.List;

/**
 * Everything the engine needs to know about a Higgs Audio v2 generation model: one immutable record, read from
 * either checkpoint layout by the converter and stored in the model package manifest. Nothing in the project may
 * assume the released sizes; they are in here.
 *
 * @param hiddenSize             d_model (released: 3072)
 * @param intermediateSize       text FFN width (8192)
 * @param numLayers              decoder layers (28)
 * @param numHeads               query heads (24)
 * @param numKvHeads             key/value heads (8)
 * @param headDim                per-head width (128)
 * @param vocabSize              text vocabulary (128256)
 * @param rmsNormEps             RMSNorm epsilon (1e-5)
 * @param rope                   rotary embedding parameters
 * @param maxPositionEmbeddings  longest position the rope tables must cover
 * @param audioFfnHiddenSize     audio expert input width (= hiddenSize)
 * @param audioFfnIntermediateSize audio expert FFN width
 * @param dualFfnLayers          layers that carry the audio expert (released: all)
 * @param numCodebooks           RVQ codebooks per frame (8)
 * @param codebookSize           codes per codebook without the stream specials (1024)
 * @param tokens                 special token ids
 */
public record ModelConfig(
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        double rmsNormEps,
        Rope rope,
        int maxPositionEmbeddings,
        int audioFfnHiddenSize,
        int audioFfnIntermediateSize,
        List<Integer> dualFfnLayers,
        int numCodebooks,
        int codebookSize,
        boolean useDelayPattern,
        SpecialTokens tokens) {

    public ModelConfig {
        dualFfnLayers = List.copyOf(dualFfnLayers);
        require(hiddenSize > 0 && numLayers > 0 && numHeads > 0 && numKvHeads > 0 && headDim > 0, "sizes must be positive");
        require(numHeads % numKvHeads == 0, "num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        require(numCodebooks > 0 && codebookSize > 0, "audio codebooks must be positive");
        require(tokens.audioStreamBos() >= codebookSize && tokens.audioStreamBos() < codebookSize + 2
                        && tokens.audioStreamEos() >= codebookSize && tokens.audioStreamEos() < codebookSize + 2
                        && tokens.audioStreamBos() != tokens.audioStreamEos(),
                "stream BOS/EOS ids (" + tokens.audioStreamBos() + ", " + tokens.audioStreamEos() + ") must be the two entries after the "
                        + codebookSize + " codes of each codebook");
    }

    private static void require(boolean ok, String msg) {
        if (!ok) throw new IllegalArgumentException("model config: " + msg);
    }

    /** Entries per codebook in the embedding and head: the codes plus stream BOS and stream EOS. */
    public int codebookEntries() {
        return codebookSize + 2;
    }

    /** Stream BOS code (1024 in the release): fills the delay pattern's leading triangle. */
    public int streamBos() {
        return tokens.audioStreamBos();
    }

    /** Stream EOS code (1025): fills the trailing triangle and ends generation. */
    public int streamEos() {
        return tokens.audioStreamEos();
    }

    public boolean isDualFfn(int layer) {
        return dualFfnLayers.contains(layer);
    }

    /**
     * Rotary embedding. {@code type} is "default" or "llama3"; for llama3 the low-frequency wavelengths are scaled
     * by {@code factor} with a smooth ramp between {@code lowFreqFactor} and {@code highFreqFactor}.
     */
    public record Rope(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                       int originalMaxPositionEmbeddings) {

        /**
         * The inverse frequencies, one per pair of head dimensions: [headDim/2]. Matches transformers' default/llama3
         * rope init operation by operation in float32 (torch computes these as float32 tensors; python scalars are
         * rounded to float32 per op), so cos/sin tables built from them agree with the reference to the last ulp.
         */
        public double[] inverseFrequencies(int headDim) {
            float[] inv = new float[headDim / 2];
            for (int i = 0; i < inv.length; i++) {
                // 1 / base ** (arange(0, d, 2).float() / d)
                float exponent = (float) (2 * i) / (float) headDim;
                inv[i] = 1.0f / (float) Math.pow(theta, exponent);
            }
            double[] out = new double[inv.length];
            if (!"llama3".equals(type)) {
                for (int i = 0; i < inv.length; i++) out[i] = inv[i];
                return out;
            }
            float f = (float) factor, lo = (float) lowFreqFactor, hi = (float) highFreqFactor, old = (float) originalMaxPositionEmbeddings;
            double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;   // python floats
            double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
            for (int i = 0; i < inv.length; i++) {
                // python `scalar / tensor` is tensor.reciprocal() * scalar in torch
                float wavelen = (1.0f / inv[i]) * (float) (2 * Math.PI);
                float llama = wavelen > lowFreqWavelen ? inv[i] / f : inv[i];
                boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
                if (medium) {
                    float smooth = ((1.0f / wavelen) * old - lo) / (hi - lo);
                    llama = (1 - smooth) * llama / f + smooth * llama;
                }
                out[i] = llama;
            }
            return out;
        }
    }

    /** Token ids the prompt builder and the generation loop use; all come from the checkpoint's config. */
    public record SpecialTokens(
            int beginOfText,      // <|begin_of_text|> 128000
            int endOfText,        // <|end_of_text|> 128001 (pad)
            int startHeader,      // <|start_header_id|> 128006
            int endHeader,        // <|end_header_id|> 128007
            int eot,              // <|eot_id|> 128009
            int audioBos,         // <|audio_bos|> 128011
            int audioEos,         // <|audio_eos|> 128012
            int audioOutBos,      // <|audio_out_bos|> 128013
            int audioDelay,       // <|reserved_special_token_6|> 128014
            int audioIn,          // <|AUDIO|> 128015
            int audioOut,         // <|AUDIO_OUT|> 128016
            int audioStreamBos,   // code 1024
            int audioStreamEos) { // code 1025
    }
}
