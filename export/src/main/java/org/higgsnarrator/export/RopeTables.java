package org.higgsnarrator.export;

import org.higgsnarrator.config.ModelConfig;

/**
 * cos/sin tables [positions, head_dim/2] as transformers computes them in float32: angle = float(inv_freq × pos),
 * then cos/sin (llama3 attention scaling is 1).
 */
final class RopeTables {
    private RopeTables() {}

    /** {cos, sin}, each positions × head_dim/2, row-major. */
    static float[][] compute(ModelConfig c, int positions) {
        double[] inv = c.rope().inverseFrequencies(c.headDim());
        int half = inv.length;
        float[] cos = new float[positions * half], sin = new float[positions * half];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) inv[i] * (float) p;
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        return new float[][] {cos, sin};
    }
}
