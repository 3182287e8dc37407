package org.higgsnarrator.text;

import java.util.Arrays;
import java.util.List;

/**
 * A built prompt's token ids as readable text: the token ids decoded with every special token spelled out (so the text is
 * exactly what the model reads, not the template's intent), and each audio span shown once as its placeholder token
 * with a note, by default its frame count: an audio-output span (its run of {@code <|AUDIO_OUT|>} and delay-token
 * positions) as {@code <|audio_out_bos|><|AUDIO_OUT|>[20 frames]<|audio_eos|>}, an audio-input span (a voice in the
 * system message, its run of {@code <|AUDIO|>} positions) as {@code <|audio_bos|><|AUDIO|>[20 frames]<|audio_eos|>}.
 */
public final class PromptText {
    private final TextTokenizer tokenizer;
    private final long audioOut, audioIn, delay;
    private final int numCodebooks;

    public PromptText(TextTokenizer tokenizer, int numCodebooks, int delayTokenId) {
        this.tokenizer = tokenizer;
        this.audioOut = tokenizer.tokenId(PromptBuilder.AUDIO_OUT);
        this.audioIn = tokenizer.tokenId(PromptBuilder.AUDIO_IN);
        this.delay = delayTokenId;
        this.numCodebooks = numCodebooks;
    }

    /**
     * @param notes what to write after each audio span's token, in span order (audio input and output alike); a null
     *              entry (or a list shorter than the spans) writes its frame count as {@code [N frames]}
     */
    public String show(long[] ids, List<String> notes) {
        StringBuilder out = new StringBuilder();
        int textStart = 0, span = 0;
        for (int i = 0; i < ids.length; ) {
            if (ids[i] != audioOut && ids[i] != audioIn) {
                i++;
                continue;
            }
            out.append(tokenizer.decode(Arrays.copyOfRange(ids, textStart, i)));
            boolean input = ids[i] == audioIn;
            int end = i;
            if (input) {
                while (end < ids.length && ids[end] == audioIn) end++;
            } else {
                while (end < ids.length && (ids[end] == audioOut || ids[end] == delay)) end++;
            }
            // a clip of F frames takes F + 2 (stream BOS/EOS frames) + K − 1 (delay pattern) positions
            int frames = (end - i) - 2 - (numCodebooks - 1);
            String note = notes != null && span < notes.size() && notes.get(span) != null ? notes.get(span) : "[" + frames + " frames]";
            out.append(input ? PromptBuilder.AUDIO_IN : PromptBuilder.AUDIO_OUT).append(note);
            span++;
            i = textStart = end;
        }
        return out.append(tokenizer.decode(Arrays.copyOfRange(ids, textStart, ids.length))).toString();
    }
}
