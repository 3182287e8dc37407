package org.higgsnarrator.config;

/**
 * The audio tokenizer (codec) as the engine sees it.
 *
 * @param sampleRate         waveform rate in and out (24000)
 * @param hopLength          samples per frame (960 → 25 frames/s)
 * @param numCodebooks       RVQ codebooks used (8)
 * @param codebookSize       codes per codebook (1024)
 * @param semanticSampleRate rate of the HuBERT branch (16000), resampled inside the encoder graph
 */
public record CodecConfig(int sampleRate, int hopLength, int numCodebooks, int codebookSize, int semanticSampleRate) {
    public double framesPerSecond() {
        return (double) sampleRate / hopLength;
    }
}
