package org.higgsnarrator.text;

/**
 * The codec codes of one stretch of audio as the prompt holds it: a reference voice clip or a previously generated
 * chunk. Plain codes, {@code [codebooks K][frames F]}, each in {@code 0 … codebookSize-1}: no stream BOS/EOS and no
 * delay pattern (the prompt builder adds both).
 */
public record Clip(int[][] codes) {
    public Clip {
        if (codes == null || codes.length == 0) throw new IllegalArgumentException("a clip needs codes [codebooks][frames]; got none");
        int f = codes[0].length;
        for (int k = 0; k < codes.length; k++) {
            if (codes[k].length != f) {
                throw new IllegalArgumentException("clip codebook " + k + " has " + codes[k].length + " frames but codebook 0 has " + f);
            }
        }
    }

    public int codebooks() {
        return codes.length;
    }

    public int frames() {
        return codes[0].length;
    }
}
