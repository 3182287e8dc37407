package org.higgsnarrator.config;

/**
 * Whose behaviour to follow where Boson's own code — the pipeline the model was trained and released with
 * (boson-ai/higgs-audio, {@code boson_multimodal/}, {@code examples/generation.py}) — and transformers' port
 * ({@code HiggsAudioV2}) disagree. Narration always follows {@link #OFFICIAL}. {@link #TRANSFORMERS} exists for the
 * conformance runner only: the kits' goldens were produced with transformers, and the runner says when it uses it.
 *
 * <p>Where they differ (see docs/codec.md and docs/engine.md):
 * <ul>
 *   <li>reference-clip encoding, {@link #acousticPadSamples}: when the acoustic and semantic frame counts differ, the
 *       acoustic encoder runs again on the clip padded each side by {@code 160 × semantic_downsample_factor} = 320
 *       samples officially, {@code hop_length / 2} = 480 in transformers;</li>
 *   <li>the end of a chunk: officially generation stops K−1 steps after codebook 0 emits stream EOS and keeps
 *       {@code [1:-1]} of the reverted codes; transformers runs until a whole frame is stream EOS.</li>
 * </ul>
 */
public enum ReferencePipeline {
    /** Boson's release: the reference for everything users hear. */
    OFFICIAL,
    /** transformers' HiggsAudioV2 port: what the conformance goldens record. */
    TRANSFORMERS;

    /**
     * Zero samples added each side of a 24 kHz clip before the acoustic encoder runs again, when its unpadded frame
     * count differs from the semantic branch's.
     *
     * @param hopLength          samples per frame (960)
     * @param semanticDownsample HuBERT frames per codec frame (2)
     */
    public int acousticPadSamples(int hopLength, int semanticDownsample) {
        return switch (this) {
            // boson_multimodal/audio_processing/higgs_audio_tokenizer.py L271-273 (_xcodec_encode):
            //   pad_size = 160 * self.semantic_downsample_factor
            case OFFICIAL -> 160 * semanticDownsample;
            // transformers HiggsAudioV2TokenizerModel: hop_length // 2 ("TODO: there is a diff here with original codebase")
            case TRANSFORMERS -> hopLength / 2;
        };
    }
}
