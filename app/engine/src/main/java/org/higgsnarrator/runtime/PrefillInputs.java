package org.higgsnarrator.runtime;

import org.higgsnarrator.config.ModelConfig;

/**
 * The prefill graph's per-call inputs, checked, shared by both model implementations ({@link OrtAudioLanguageModel},
 * {@link IoBindingAudioLanguageModel}).
 *
 * @param codes       audio codes [n × K]: each audio position (<|AUDIO_OUT|>, <|AUDIO|> or delay token) takes the
 *                    next frame of the given audio frames; text positions stay 0
 * @param positions   position ids [n], from the state's position on
 * @param logitsIndex the last {@code lastN} positions [lastN], whose logits come back
 */
record PrefillInputs(long[] codes, long[] positions, long[] logitsIndex) {

    static PrefillInputs of(ModelConfig cfg, long[] ids, int[][] audioFrames, int position, int lastN) {
        int n = ids.length, k = cfg.numCodebooks();
        if (n == 0) throw new IllegalArgumentException("prefill of an empty prompt");
        if (lastN < 1 || lastN > n) throw new IllegalArgumentException("lastN must be in 1.." + n + ", got " + lastN);
        long[] codes = new long[n * k];
        int frame = 0;
        for (int i = 0; i < n; i++) {
            // audio output (<|AUDIO_OUT|>, delay token) and audio input (<|AUDIO|>, a voice in the system message) positions
            // alike: Boson embeds both from the codes (modeling_higgs_audio.py L1235-1248, one _embed_audio_ids)
            long id = ids[i];
            if (id != cfg.tokens().audioOut() && id != cfg.tokens().audioDelay() && id != cfg.tokens().audioIn()) continue;
            if (frame >= audioFrames.length) {
                throw new IllegalArgumentException("the prompt has more audio positions (<|AUDIO_OUT|>/<|AUDIO|>/delay tokens) than the "
                        + audioFrames.length + " audio frames given");
            }
            int[] f = audioFrames[frame++];
            if (f.length != k) throw new IllegalArgumentException("audio frame " + (frame - 1) + " has " + f.length + " codes, expected " + k);
            for (int j = 0; j < k; j++) codes[i * k + j] = f[j];
        }
        if (frame != audioFrames.length) {
            throw new IllegalArgumentException(audioFrames.length + " audio frames given but the prompt has only " + frame + " audio positions");
        }
        long[] pos = new long[n];
        for (int i = 0; i < n; i++) pos[i] = position + i;
        long[] index = new long[lastN];
        for (int i = 0; i < lastN; i++) index[i] = n - lastN + i;
        return new PrefillInputs(codes, pos, index);
    }
}
