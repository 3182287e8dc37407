package org.higgsnarrator.conformance;

import com.google.gson.JsonObject;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.checkpoint.TokenizerSpecials;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.tensors.DType;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.higgsnarrator.tensors.TensorInfo;
import org.higgsnarrator.text.ChatJson;
import org.higgsnarrator.text.ChatMessage;
import org.higgsnarrator.text.Clip;
import org.higgsnarrator.text.Prompt;
import org.higgsnarrator.text.PromptBuilder;
import org.higgsnarrator.text.TextTokenizer;

/**
 * Golden cases of the prompt family. For each {@code prompts.<name>} of cases.json the conversation is built with
 * the project's {@link PromptBuilder} and compared with the reference:
 * <ul>
 *   <li>{@code prompt.<name>.input_ids}: the rendered template text and the expanded token ids;</li>
 *   <li>{@code prompt.<name>.audio_input_ids}: the audio frames [1,F,K] and {@code _mask} [1,F] (batch padding:
 *       all ones for one prompt).</li>
 * </ul>
 * The i-th audio item of the conversation is the clip {@code prompt.<name>.audio<i>}, encoded by the kit's audio
 * tokenizer (exported and opened as {@link CodecCases} does; detail "(codes from the codec)"). Where the codec cannot
 * be opened, the clip's codes are recovered from the golden {@code audio_input_ids} instead (revert the delay
 * pattern, strip the BOS/EOS frames; detail "(codes from golden tensors)"), so the template, tokenizer and framing
 * are still checked. Clips in the scene render as {@link ConformanceOptions#reference()} renders them (transformers'
 * template by default, which the goldens record; {@code --reference official}: Boson's audio input).
 */
public final class PromptCases implements CaseGroup {
    private static final String FROM_GOLDEN = "(codes from golden tensors)", FROM_CODEC = "(codes from the codec)";

    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        List<String> names = kit.promptNames();
        if (names.isEmpty()) return out;
        String setupError = kit.tokenizer() == null ? "no tokenizer.json: pass --tokenizer FILE" : kit.tensors() == null ? "the kit has no golden/tensors.safetensors" : null;
        if (setupError != null) {
            for (String p : names) {
                out.add(CaseResult.fail("prompt." + p + ".input_ids", setupError));
                out.add(CaseResult.fail("prompt." + p + ".audio_input_ids", setupError));
            }
            return out;
        }
        ModelConfig config;
        TextTokenizer tok;
        PromptBuilder builder;
        try {
            config = CheckpointConfigReader.read(kit.officialModel().resolve("config.json"), TokenizerSpecials.read(kit.tokenizer())).config();
            tok = TextTokenizer.open(kit.tokenizer());
        } catch (RuntimeException e) {
            for (String p : names) {
                out.add(CaseResult.fail("prompt." + p + ".input_ids", e.getMessage()));
                out.add(CaseResult.fail("prompt." + p + ".audio_input_ids", e.getMessage()));
            }
            return out;
        }
        AudioCodec opened = null;
        String codesSource = FROM_CODEC;
        if (names.stream().anyMatch(p -> kit.tensors().contains("prompt." + p + ".audio0"))) {
            try {
                opened = CodecCases.openKitCodec(kit, options);
            } catch (RuntimeException e) {
                codesSource = FROM_GOLDEN.replace(")", "; codec unavailable: " + e.getMessage() + ")");
            }
        }
        try (tok; AudioCodec codec = opened) {
            // the scene's clips as the reference renders them: transformers' template (the kits' goldens) writes
            // " <|audio_out_bos|><|AUDIO_OUT|><|audio_eos|>", Boson's release audio input (PromptBuilder.following)
            builder = new PromptBuilder(tok, config).following(options.reference());
            for (String p : names) {
                try {
                    check(kit, builder, config, codec, codesSource, p, out);
                } catch (RuntimeException e) {
                    out.add(CaseResult.fail("prompt." + p + ".input_ids", e.toString()));
                    out.add(CaseResult.fail("prompt." + p + ".audio_input_ids", e.toString()));
                }
            }
        }
        return out;
    }

    private static void check(Kit kit, PromptBuilder builder, ModelConfig config, AudioCodec codec, String codesSource, String name, List<CaseResult> out) {
        JsonObject c = kit.cases().getAsJsonObject("prompts").getAsJsonObject(name);
        SafeTensorsFile golden = kit.tensors();
        String framesName = "prompt." + name + ".audio_input_ids", maskName = framesName + "_mask";
        int[][] goldenFrames = golden.contains(framesName) ? frames(golden, framesName, config.numCodebooks()) : new int[0][];
        int[][][] clips = codec == null ? builder.clipsOf(goldenFrames) : new int[0][][];

        int[] audioItems = {0};
        List<ChatMessage> messages = ChatJson.parse(c.getAsJsonArray("conversation"), (i, path) -> {
            audioItems[0]++;
            String clip = "prompt." + name + ".audio" + i;
            if (!golden.contains(clip)) throw new IllegalArgumentException("the kit has no clip " + clip + " for audio item " + i + " (" + path + ")");
            if (codec != null) return new Clip(codec.encode(golden.floats(clip)));
            if (i >= clips.length) throw new IllegalArgumentException("audio item " + i + " but " + framesName + " holds " + clips.length + " clips");
            return new Clip(clips[i]);
        });
        Prompt prompt = builder.build(messages);

        long[] want = TokenizerCases.longs(c.getAsJsonArray("input_ids"));
        String idsCase = "prompt." + name + ".input_ids";
        String rendered = c.has("rendered") ? c.get("rendered").getAsString() : null;
        if (rendered != null && !rendered.equals(prompt.rendered())) {
            int at = 0;
            while (at < Math.min(rendered.length(), prompt.rendered().length()) && rendered.charAt(at) == prompt.rendered().charAt(at)) at++;
            out.add(CaseResult.fail(idsCase, "rendered text differs at char " + at + ": golden …" + TokenizerCases.quote(rendered.substring(at, Math.min(rendered.length(), at + 40)))
                    + ", got …" + TokenizerCases.quote(prompt.rendered().substring(at, Math.min(prompt.rendered().length(), at + 40)))));
        } else if (!Arrays.equals(want, prompt.ids())) {
            int at = Arrays.mismatch(want, prompt.ids());
            out.add(CaseResult.fail(idsCase, "ids differ at " + at + " (golden " + want.length + " ids, got " + prompt.ids().length + "): golden "
                    + slice(want, at) + ", got " + slice(prompt.ids(), at)));
        } else {
            out.add(CaseResult.pass(idsCase, want.length + " ids" + (rendered != null ? ", rendered text matches" : "") + (audioItems[0] > 0 ? " " + codesSource : "")));
        }

        String framesCase = "prompt." + name + ".audio_input_ids";
        if (!golden.contains(framesName)) {
            out.add(prompt.audioPositions() == 0
                    ? CaseResult.pass(framesCase, "no reference audio, no audio positions")
                    : CaseResult.fail(framesCase, "the golden has no audio_input_ids but the prompt has " + prompt.audioPositions() + " audio positions"));
            return;
        }
        if (prompt.audioPositions() != goldenFrames.length) {
            out.add(CaseResult.fail(framesCase, "golden has " + goldenFrames.length + " frames, prompt has " + prompt.audioPositions()));
            return;
        }
        for (int t = 0; t < goldenFrames.length; t++) {
            if (!Arrays.equals(goldenFrames[t], prompt.audioFrames()[t])) {
                out.add(CaseResult.fail(framesCase, "frame " + t + ": golden " + Arrays.toString(goldenFrames[t]) + ", got " + Arrays.toString(prompt.audioFrames()[t])));
                return;
            }
        }
        String mask = checkMask(golden, maskName, goldenFrames.length);
        if (mask != null) {
            out.add(CaseResult.fail(framesCase, mask));
            return;
        }
        out.add(CaseResult.pass(framesCase, "[1," + goldenFrames.length + "," + config.numCodebooks() + "] from " + audioItems[0] + " clip(s), mask all valid " + codesSource));
    }

    /** The mask is batch padding ({@code frame < length}); one prompt has no padding, so it must be all ones. */
    private static String checkMask(SafeTensorsFile golden, String maskName, int frames) {
        if (!golden.contains(maskName)) return null;
        TensorInfo info = golden.info(maskName);
        if (info.numel() != frames) return maskName + " has shape " + info.shapeString() + " for " + frames + " frames";
        MemorySegment seg = golden.bytes(maskName);
        for (int t = 0; t < frames; t++) {
            long v = info.dtype() == DType.BOOL || info.dtype() == DType.U8 ? seg.get(ValueLayout.JAVA_BYTE, t) : seg.getAtIndex(LONG_LE, t);
            if (v != 1) return maskName + "[" + t + "] is " + v + ": the golden pads frames, which a single prompt never needs";
        }
        return null;
    }

    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** An int64 tensor [1, F, K] as [F][K]. */
    private static int[][] frames(SafeTensorsFile f, String name, int codebooks) {
        TensorInfo info = f.info(name);
        if (info.dtype() != DType.I64 || info.rank() != 3 || info.shape()[0] != 1 || info.shape()[2] != codebooks) {
            throw new IllegalArgumentException(name + " is " + info.dtype() + info.shapeString() + "; expected I64 [1, F, " + codebooks + "]");
        }
        int rows = (int) info.shape()[1];
        MemorySegment seg = f.bytes(name);
        int[][] out = new int[rows][codebooks];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < codebooks; k++) out[r][k] = Math.toIntExact(seg.getAtIndex(LONG_LE, (long) r * codebooks + k));
        }
        return out;
    }

    private static String slice(long[] a, int at) {
        int from = Math.max(0, at - 2), to = Math.min(a.length, at + 6);
        return (from > 0 ? "…" : "") + Arrays.toString(Arrays.copyOfRange(a, from, to)) + (to < a.length ? "…" : "");
    }
}
