package org.higgsnarrator.conformance;

import java.nio.file.Path;
import org.higgsnarrator.config.ReferencePipeline;

/**
 * @param precision   which converted precision to check (fp32 checks against the goldens; others report KL vs fp32)
 * @param workDir     where converted packages are cached between cases (a temp dir by default)
 * @param logitsTol   absolute tolerance for logits (README of the kit: 1e-3)
 * @param waveTol     absolute tolerance for waveforms (1e-4)
 * @param tieMargin   golden top-2 margin below which a differing greedy argmax counts as a tie (1e-4)
 * @param reference   whose behaviour the checked parts follow where Boson's release and transformers differ (codec
 *                    acoustic padding, end of generation, clips in the scene block): {@code TRANSFORMERS} by default, because the kits'
 *                    goldens come from transformers; narration always follows {@code OFFICIAL}
 * @param ioBinding   run the generation cases through the C API IoBinding path (IoBindingAudioLanguageModel)
 * @param batch       decode the generation cases of all the kit's prompts together, one batch (BatchGenerationLoop)
 */
public record ConformanceOptions(org.higgsnarrator.pkg.Precision precision, Path workDir, double logitsTol, double waveTol, double tieMargin, ReferencePipeline reference,
                                 boolean ioBinding, boolean batch) {
    public ConformanceOptions {
        if (reference == null) reference = ReferencePipeline.TRANSFORMERS;
    }

    public ConformanceOptions(org.higgsnarrator.pkg.Precision precision, Path workDir, double logitsTol, double waveTol, double tieMargin) {
        this(precision, workDir, logitsTol, waveTol, tieMargin, ReferencePipeline.TRANSFORMERS, false, false);
    }

    public static ConformanceOptions defaults(Path workDir) {
        return new ConformanceOptions(org.higgsnarrator.pkg.Precision.FP32, workDir, 1e-3, 1e-4, 1e-4);
    }

    public ConformanceOptions withReference(ReferencePipeline r) {
        return new ConformanceOptions(precision, workDir, logitsTol, waveTol, tieMargin, r, ioBinding, batch);
    }

    public ConformanceOptions withIoBinding(boolean on) {
        return new ConformanceOptions(precision, workDir, logitsTol, waveTol, tieMargin, reference, on, batch);
    }

    public ConformanceOptions withBatch(boolean on) {
        return new ConformanceOptions(precision, workDir, logitsTol, waveTol, tieMargin, reference, ioBinding, on);
    }

    /** The line the runner prints first, so that every report says which behaviour it checked. */
    public String referenceLine() {
        return switch (reference) {
            case TRANSFORMERS -> "reference: transformers' HiggsAudioV2, as the kit's goldens: the codec encoder pads clips by"
                    + " hop_length/2 for the acoustic branch (480 samples at the released sizes; Boson's release pads 160 ×"
                    + " semantic downsample = 320), generation runs to an all-EOS frame, and a clip in the scene renders as"
                    + " audio output (<|audio_out_bos|><|AUDIO_OUT|>; Boson's release: audio input <|audio_bos|><|AUDIO|>);"
                    + " narration follows Boson's release (--reference official)";
            case OFFICIAL -> "reference: Boson's release (boson-ai/higgs-audio): the codec encoder pads clips by 160 × semantic"
                    + " downsample for the acoustic branch, generation stops K−1 steps after codebook 0's stream EOS, a"
                    + " clip in the scene renders as audio input (<|audio_bos|><|AUDIO|><|audio_eos|>); goldens made with"
                    + " transformers may differ there";
        };
    }
}
