package org.higgsnarrator.conformance;

import java.nio.file.Path;

/**
 * @param precision   which converted precision to check (fp32 checks against the goldens; others report KL vs fp32)
 * @param workDir     where converted packages are cached between cases (a temp dir by default)
 * @param logitsTol   absolute tolerance for logits (README of the kit: 1e-3)
 * @param waveTol     absolute tolerance for waveforms (1e-4)
 * @param tieMargin   golden top-2 margin below which a differing greedy argmax counts as a tie (1e-4)
 */
public record ConformanceOptions(org.higgsnarrator.pkg.Precision precision, Path workDir, double logitsTol, double waveTol, double tieMargin) {
    public static ConformanceOptions defaults(Path workDir) {
        return new ConformanceOptions(org.higgsnarrator.pkg.Precision.FP32, workDir, 1e-3, 1e-4, 1e-4);
    }
}
