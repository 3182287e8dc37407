package org.higgsnarrator.config;

/**
 * The audio tokenizer (codec) as the engine sees it.
 *
 * @param sampleRate           waveform rate in and out (24000)
 * @param hopLength            samples per frame (960 → 25 frames/s)
 * @param numCodebooks         RVQ codebooks used (8)
 * @param codebookSize         codes per codebook (1024)
 * @param semanticSampleRate   rate of the HuBERT branch (16000), resampled inside the encoder graph
 * @param decoderContextFrames frames of context each side that make a chunk decode equal to the full decode: the
 *                             decoder's receptive field, computed by the converter from its layers (released: 10)
 * @param streamChunkFrames    frames a {@code StreamingDecoder} emits per decode call by default (25 = 1 s)
 * @param acousticPadSamples   padding each side the encoder graph gives a clip for the acoustic branch when the frame
 *                             counts differ ({@link ReferencePipeline#acousticPadSamples}): 320 (Boson's release) in
 *                             packages converted now; 0 in manifests written before it was recorded, whose graphs pad
 *                             480 (transformers' alignment)
 */
public record CodecConfig(int sampleRate, int hopLength, int numCodebooks, int codebookSize, int semanticSampleRate,
                          int decoderContextFrames, int streamChunkFrames, int acousticPadSamples) {

    /** Receptive field of the released decoder (ratios [8,5,4,2,3], k7 convs, dilations 1/3/9), in frames. */
    public static final int RELEASED_DECODER_CONTEXT_FRAMES = 10;
    public static final int DEFAULT_STREAM_CHUNK_FRAMES = 25;

    public CodecConfig {
        if (sampleRate <= 0 || hopLength <= 0 || numCodebooks <= 0 || codebookSize <= 0) {
            throw new IllegalArgumentException("codec config: sample rate, hop, codebooks and codebook size must be positive");
        }
        // Manifests written before these fields existed read as 0: fall back to the released architecture's values.
        if (decoderContextFrames <= 0) decoderContextFrames = RELEASED_DECODER_CONTEXT_FRAMES;
        if (streamChunkFrames <= 0) streamChunkFrames = DEFAULT_STREAM_CHUNK_FRAMES;
    }

    /** The original five-field form; streaming fields take the released defaults. */
    public CodecConfig(int sampleRate, int hopLength, int numCodebooks, int codebookSize, int semanticSampleRate) {
        this(sampleRate, hopLength, numCodebooks, codebookSize, semanticSampleRate, 0, 0, 0);
    }

    /** Without the encoder's padding (a decoder-only use, or a manifest from before it was recorded). */
    public CodecConfig(int sampleRate, int hopLength, int numCodebooks, int codebookSize, int semanticSampleRate,
                       int decoderContextFrames, int streamChunkFrames) {
        this(sampleRate, hopLength, numCodebooks, codebookSize, semanticSampleRate, decoderContextFrames, streamChunkFrames, 0);
    }

    public double framesPerSecond() {
        return (double) sampleRate / hopLength;
    }
}
