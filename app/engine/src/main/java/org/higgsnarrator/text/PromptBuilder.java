package org.higgsnarrator.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.config.ReferencePipeline;
import org.higgsnarrator.decode.DelayPattern;

/**
 * Turns a chat ({@link ChatMessage}s) into model input exactly as the reference does: render the release chat
 * template ({@code chat_template.jinja}, reproduced here without a template engine), tokenize the text, then expand
 * every clip's single {@code <|AUDIO_OUT|>} into {@code (frames + 2)} {@code <|AUDIO_OUT|>} + {@code (K − 1)} delay
 * tokens and its codes into BOS frame + codes + EOS frame with the delay pattern applied.
 *
 * <p>The template, as it renders for TTS:
 * <pre>
 * &lt;|begin_of_text|&gt;&lt;|start_header_id|&gt;system&lt;|end_header_id|&gt;\n\n{system}
 *   [\n\n&lt;|scene_desc_start|&gt;\n{scene items}\n&lt;|scene_desc_end|&gt;]&lt;|eot_id|&gt;
 * {per turn: &lt;|start_header_id|&gt;{role}&lt;|end_header_id|&gt;\n\n{text | &lt;|audio_out_bos|&gt;&lt;|AUDIO_OUT|&gt;&lt;|audio_eos|&gt;}&lt;|eot_id|&gt;}
 * &lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n&lt;|audio_out_bos|&gt;
 * </pre>
 * How the scene block's items render depends on whose pipeline the builder follows ({@link #following}):
 * <ul>
 *   <li>{@link ReferencePipeline#OFFICIAL} (the default, narration): as Boson's {@code prepare_chatml_sample}
 *       renders a system message's content parts (boson_multimodal/dataset/chatml_dataset.py L404-423): texts
 *       verbatim, one after the other; an audio item is audio <em>input</em>,
 *       {@code <|audio_bos|><|AUDIO|><|audio_eos|>}, its {@code <|AUDIO|>} expanded to {@code (frames + 2 + K − 1)}
 *       {@code <|AUDIO|>} positions (utils.py {@code merge_input_ids_with_audio_features} L327-345 fills every one
 *       with audio_in_token_idx) fed its framed, delayed codes (higgs_audio_collator.py L344-369: stream BOS/EOS and
 *       the delay pattern, as for audio out). The caller writes the separators (the engine's
 *       {@code ConversationRenderer} writes examples/generation.py L401-425's layout).</li>
 *   <li>{@link ReferencePipeline#TRANSFORMERS} (the conformance kits' goldens, transformers' chat template): texts are
 *       trimmed; after the first text comes a blank line (unless it is the only item); a later text is followed by a
 *       newline unless an audio item follows it; an audio item renders as
 *       {@code " <|audio_out_bos|><|AUDIO_OUT|><|audio_eos|>"} followed by a newline unless it is the last item.</li>
 * </ul>
 * A scene of one text item without surrounding whitespace renders the same in both.
 */
public final class PromptBuilder {
    static final String BOS = "<|begin_of_text|>", START_HEADER = "<|start_header_id|>", END_HEADER = "<|end_header_id|>",
            EOT = "<|eot_id|>", SCENE_START = "<|scene_desc_start|>", SCENE_END = "<|scene_desc_end|>",
            AUDIO_OUT_BOS = "<|audio_out_bos|>", AUDIO_OUT = "<|AUDIO_OUT|>", AUDIO_EOS = "<|audio_eos|>",
            AUDIO_BOS = "<|audio_bos|>", AUDIO_IN = "<|AUDIO|>";
    private static final String CLIP = AUDIO_OUT_BOS + AUDIO_OUT + AUDIO_EOS;
    /** Audio input, as Boson renders audio in a system or user message (chatml_dataset.py L416-423). */
    private static final String AUDIO_IN_CLIP = AUDIO_BOS + AUDIO_IN + AUDIO_EOS;
    /** Sound-event tags are meant to be written in text (the normalizer produces them); every other special is structure. */
    private static final Pattern TEXT_SPECIALS = Pattern.compile("</?SE(_[se])?>");

    private final TextTokenizer tokenizer;
    private final int numCodebooks, codebookSize, streamBos, streamEos;
    private final long audioOutId, audioInId, delayId;
    private final List<String> forbiddenInText;
    private final ReferencePipeline sceneLayout;

    /** For a model config read from a checkpoint: checks that its token ids are this tokenizer's. */
    public PromptBuilder(TextTokenizer tokenizer, ModelConfig config) {
        this(tokenizer, config.numCodebooks(), config.codebookSize(), config.streamBos(), config.streamEos(), config.tokens().audioDelay());
        if (!config.useDelayPattern()) {
            throw new IllegalArgumentException("model config: use_delay_pattern is false; Higgs Audio v2 prompts (and this builder) need the delay pattern");
        }
        ModelConfig.SpecialTokens t = config.tokens();
        check(BOS, t.beginOfText());
        check(START_HEADER, t.startHeader());
        check(END_HEADER, t.endHeader());
        check(EOT, t.eot());
        check(AUDIO_OUT_BOS, t.audioOutBos());
        check(AUDIO_EOS, t.audioEos());
        check(AUDIO_OUT, t.audioOut());
        check(AUDIO_BOS, t.audioBos());
        check(AUDIO_IN, t.audioIn());
    }

    /**
     * @param numCodebooks K, RVQ codebooks per frame (8)
     * @param codebookSize codes per codebook (1024); clip codes must lie below it
     * @param streamBos    stream BOS code (1024)
     * @param streamEos    stream EOS code (1025)
     * @param delayTokenId the audio delay token ({@code <|reserved_special_token_6|>}, 128014)
     */
    public PromptBuilder(TextTokenizer tokenizer, int numCodebooks, int codebookSize, int streamBos, int streamEos, int delayTokenId) {
        this.tokenizer = tokenizer;
        this.numCodebooks = numCodebooks;
        this.codebookSize = codebookSize;
        this.streamBos = streamBos;
        this.streamEos = streamEos;
        this.audioOutId = tokenizer.tokenId(AUDIO_OUT);
        this.audioInId = tokenizer.tokenId(AUDIO_IN);
        this.delayId = delayTokenId;
        List<String> forbidden = new ArrayList<>();
        for (String s : tokenizer.specialTokens().keySet()) if (!TEXT_SPECIALS.matcher(s).matches()) forbidden.add(s);
        this.forbiddenInText = List.copyOf(forbidden);
        this.sceneLayout = ReferencePipeline.OFFICIAL;
    }

    private PromptBuilder(PromptBuilder b, ReferencePipeline sceneLayout) {
        this.tokenizer = b.tokenizer;
        this.numCodebooks = b.numCodebooks;
        this.codebookSize = b.codebookSize;
        this.streamBos = b.streamBos;
        this.streamEos = b.streamEos;
        this.audioOutId = b.audioOutId;
        this.audioInId = b.audioInId;
        this.delayId = b.delayId;
        this.forbiddenInText = b.forbiddenInText;
        this.sceneLayout = sceneLayout;
    }

    /**
     * This builder rendering the scene block as {@code pipeline} does (see the class comment). Narration uses
     * {@link ReferencePipeline#OFFICIAL}; {@link ReferencePipeline#TRANSFORMERS} is for the conformance runner (the
     * kits' goldens come from transformers' chat template).
     */
    public PromptBuilder following(ReferencePipeline pipeline) {
        return pipeline == sceneLayout ? this : new PromptBuilder(this, pipeline);
    }

    public ReferencePipeline sceneLayout() {
        return sceneLayout;
    }

    /** A clip placed in the prompt: audio output ({@code <|AUDIO_OUT|>}) or audio input ({@code <|AUDIO|>}). */
    private record Span(Clip clip, boolean input) {}

    private void check(String token, int configId) {
        int id = tokenizer.tokenId(token);
        if (id != configId) {
            throw new IllegalArgumentException(tokenizer.file() + " gives " + token + " the id " + id + " but the model config says " + configId
                    + " — the tokenizer.json does not belong to this checkpoint");
        }
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Renders, tokenizes and expands the chat; ends with the generation prompt ({@code …<|audio_out_bos|>}). */
    public Prompt build(List<ChatMessage> messages) {
        List<Span> clips = new ArrayList<>();
        String rendered = render(messages, clips);
        long[] textIds = tokenizer.encode(rendered);

        int audioPositions = 0, placeholders = 0;
        for (long id : textIds) if (id == audioOutId || id == audioInId) placeholders++;
        if (placeholders != clips.size()) {
            throw new IllegalStateException("the rendered prompt holds " + placeholders + " " + AUDIO_OUT + "/" + AUDIO_IN + " tokens for " + clips.size() + " clips");
        }
        for (Span c : clips) audioPositions += c.clip().frames() + 2 + numCodebooks - 1;

        long[] ids = new long[textIds.length - clips.size() + audioPositions];
        int[][] frames = new int[audioPositions][];
        int n = 0, f = 0, clip = 0;
        for (long id : textIds) {
            if (id != audioOutId && id != audioInId) {
                ids[n++] = id;
                continue;
            }
            Span span = clips.get(clip++);
            if (span.input() != (id == audioInId)) throw new IllegalStateException("clip " + (clip - 1) + " is rendered as the other kind of audio placeholder");
            int[][] delayed = DelayPattern.promptFrames(span.clip().codes(), streamBos, streamEos); // [K][frames+2+K-1]
            int len = delayed[0].length;
            for (int t = 0; t < len; t++) {
                // audio out: (frames + 2) <|AUDIO_OUT|> + (K − 1) delay tokens, as transformers' processor expands it;
                // audio in: every position <|AUDIO|>, as Boson's merge_input_ids_with_audio_features
                // (boson_multimodal/model/higgs_audio/utils.py L341) writes final_input_ids. The prefill graph embeds
                // all of them from the codes alike.
                ids[n++] = span.input() ? audioInId : t < len - (numCodebooks - 1) ? audioOutId : delayId;
                int[] frame = new int[numCodebooks];
                for (int k = 0; k < numCodebooks; k++) frame[k] = delayed[k][t];
                frames[f++] = frame;
            }
        }
        return new Prompt(ids, frames, rendered);
    }

    /** The template text of the chat, with one {@code <|AUDIO_OUT|>} per clip (what the reference calls {@code rendered}). */
    public String render(List<ChatMessage> messages) {
        return render(messages, new ArrayList<>());
    }

    private String render(List<ChatMessage> messages, List<Span> clips) {
        if (messages.isEmpty()) throw new IllegalArgumentException("a prompt needs at least one message");
        StringBuilder sb = new StringBuilder(BOS);
        int next = 0;
        if (ChatMessage.SYSTEM.equals(messages.get(0).role())) {
            next = renderSystem(messages, clips, sb);
        } else if (messages.stream().anyMatch(m -> ChatMessage.SYSTEM.equals(m.role()) || ChatMessage.SCENE.equals(m.role()))) {
            throw new IllegalArgumentException("a system message (and its scene) must come first");
        }
        // Without a system message the prompt starts with the first turn, as Boson's prepare_chatml_sample writes it
        // (boson_multimodal/dataset/chatml_dataset.py L387-390: the first message gets <|begin_of_text|>, whatever its
        // role): the official prompt of cloned voices without a scene (examples/generation.py L426-431, L492-493).
        for (int m = next; m < messages.size(); m++) {
            ChatMessage msg = messages.get(m);
            sb.append(START_HEADER).append(msg.role()).append(END_HEADER).append("\n\n");
            if (ChatMessage.ASSISTANT.equals(msg.role())) {
                if (msg.content().size() != 1 || !(msg.content().get(0) instanceof ChatMessage.Audio a)) {
                    throw new IllegalArgumentException("message " + m + ": an assistant message must hold exactly one audio clip (the template renders nothing else)");
                }
                sb.append(CLIP);
                clips.add(new Span(checked(a.clip()), false));
            } else {
                for (ChatMessage.Content c : msg.content()) {
                    if (!(c instanceof ChatMessage.Text t)) {
                        throw new IllegalArgumentException("message " + m + " (" + msg.role() + "): audio is only allowed in the scene and in assistant messages; the template would drop it");
                    }
                    sb.append(trim(text(t, msg.role())));
                }
            }
            sb.append(EOT);
        }
        return sb.append(START_HEADER).append("assistant").append(END_HEADER).append("\n\n").append(AUDIO_OUT_BOS).toString();
    }

    /** System text and scene block up to its {@code <|eot_id|>}; returns the index of the first turn after them. */
    private int renderSystem(List<ChatMessage> messages, List<Span> clips, StringBuilder sb) {
        sb.append(START_HEADER).append("system").append(END_HEADER).append("\n\n");
        ChatMessage system = messages.get(0);
        if (system.content().isEmpty() || !(system.content().get(0) instanceof ChatMessage.Text sys)) {
            throw new IllegalArgumentException("the system message must begin with text");
        }
        sb.append(trim(text(sys, "system")));
        int next = 1;
        if (messages.size() > 1 && ChatMessage.SCENE.equals(messages.get(1).role())) {
            sb.append("\n\n").append(SCENE_START).append('\n');
            List<ChatMessage.Content> items = messages.get(1).content();
            if (sceneLayout == ReferencePipeline.OFFICIAL) {
                // chatml_dataset.py L404-423: content parts one after the other, audio in a system message as audio input
                for (ChatMessage.Content item : items) {
                    switch (item) {
                        case ChatMessage.Text t -> sb.append(text(t, "scene"));
                        case ChatMessage.Audio a -> {
                            sb.append(AUDIO_IN_CLIP);
                            clips.add(new Span(checked(a.clip()), true));
                        }
                    }
                }
            } else {
                for (int i = 0; i < items.size(); i++) {
                    boolean first = i == 0, last = i == items.size() - 1;
                    switch (items.get(i)) {
                        case ChatMessage.Text t -> {
                            sb.append(trim(text(t, "scene")));
                            if (first && !last) sb.append("\n\n");
                            if (!first && !last && !(items.get(i + 1) instanceof ChatMessage.Audio)) sb.append('\n');
                        }
                        case ChatMessage.Audio a -> {
                            sb.append(' ').append(CLIP);
                            clips.add(new Span(checked(a.clip()), false));
                            if (!last) sb.append('\n');
                        }
                    }
                }
            }
            sb.append('\n').append(SCENE_END);
            next = 2;
        }
        sb.append(EOT);
        return next;
    }

    private String text(ChatMessage.Text t, String where) {
        String s = t.text();
        if (s.indexOf('<') >= 0) {
            for (String special : forbiddenInText) {
                if (s.contains(special)) {
                    throw new IllegalArgumentException("the " + where + " text contains the control token " + special
                            + ", which would corrupt the prompt; remove it (only the sound-event tags <SE>…</SE>, <SE_s>, <SE_e> may appear in text)");
                }
            }
        }
        return s;
    }

    private Clip checked(Clip c) {
        if (c.codebooks() != numCodebooks) {
            throw new IllegalArgumentException("a clip has " + c.codebooks() + " codebooks but the model uses " + numCodebooks
                    + " — the clip was encoded by a different audio tokenizer");
        }
        for (int k = 0; k < c.codebooks(); k++) {
            for (int t = 0; t < c.frames(); t++) {
                int v = c.codes()[k][t];
                if (v < 0 || v >= codebookSize) {
                    throw new IllegalArgumentException("clip code " + v + " at codebook " + k + ", frame " + t + " is outside 0…" + (codebookSize - 1)
                            + "; clips hold plain codec codes (no stream BOS/EOS, no delay pattern)");
                }
            }
        }
        return c;
    }

    /** Jinja's {@code trim}: Python's {@code str.strip()}, which also strips Unicode spaces such as U+00A0 and U+3000. */
    static String trim(String s) {
        int b = 0, e = s.length();
        while (b < e && isPySpace(s.charAt(b))) b++;
        while (e > b && isPySpace(s.charAt(e - 1))) e--;
        return s.substring(b, e);
    }

    static boolean isPySpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /**
     * The inverse of the clip expansion: splits a prompt's audio frames [F][K] (delay pattern applied) back into the
     * clips' plain codes. A clip starts at a frame that is stream BOS in every codebook — only its first frame is.
     */
    public int[][][] clipsOf(int[][] audioFrames) {
        List<int[][]> out = new ArrayList<>();
        int start = 0;
        for (int t = 1; t <= audioFrames.length; t++) {
            if (t == audioFrames.length || allEqual(audioFrames[t], streamBos)) {
                int len = t - start;
                int[][] delayed = new int[numCodebooks][len];
                for (int i = 0; i < len; i++) {
                    for (int k = 0; k < numCodebooks; k++) delayed[k][i] = audioFrames[start + i][k];
                }
                int[][] framed = DelayPattern.revert(delayed);    // [K][frames+2]: BOS frame, codes, EOS frame
                int n = framed[0].length - 2;
                if (n < 0 || !allEqual(column(framed, 0), streamBos) || !allEqual(column(framed, n + 1), streamEos)) {
                    throw new IllegalArgumentException("audio frames " + start + "…" + (t - 1) + " are not a clip (stream BOS frame, codes, stream EOS frame, delay pattern)");
                }
                int[][] codes = new int[numCodebooks][n];
                for (int k = 0; k < numCodebooks; k++) System.arraycopy(framed[k], 1, codes[k], 0, n);
                out.add(codes);
                start = t;
            }
        }
        return out.toArray(new int[0][][]);
    }

    private static int[] column(int[][] a, int t) {
        int[] c = new int[a.length];
        for (int k = 0; k < a.length; k++) c[k] = a[k][t];
        return c;
    }

    private static boolean allEqual(int[] v, int x) {
        for (int e : v) if (e != x) return false;
        return true;
    }
}
