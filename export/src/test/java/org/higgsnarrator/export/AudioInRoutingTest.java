package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.DelayPattern;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefill graph treats an audio-input span ({@code <|AUDIO|>}: a voice in the system message) as Boson's release
 * does, read from its source (boson-ai/higgs-audio f04f5df, boson_multimodal/model/higgs_audio/):
 * <ul>
 *   <li>its positions are embedded from the codes through the same {@code audio_codebook_embeddings} as audio output
 *       ({@code _embed_audio_ids}, modeling_higgs_audio.py L918-937, used for audio_in_ids at L1240 and audio_out_ids
 *       at L1248);</li>
 *   <li>they go through the audio expert: the dual-FFN layers get {@code audio_discrete_codes_mask =
 *       audio_in_discrete_codes_mask | audio_out_mask} as their {@code audio_out_mask} (L1314, L1114), the
 *       audio-in code positions being marked in utils.py L345;</li>
 *   <li>they are attended to as any position (no audio self-attention in the release).</li>
 * </ul>
 * Two tiny models that differ only in the audio expert's weights show it: text positions before the span agree, the
 * span's positions (and what follows) differ; and on one model, the same span written as {@code <|AUDIO_OUT|>}
 * positions gives the same logits everywhere.
 */
class AudioInRoutingTest {
    static Path base, changedExpert;
    static ModelConfig config;

    @BeforeAll
    static void export(@TempDir Path tmp) {
        config = SmallConfigs.of(48, 80, 2, 6, 3, 16);
        base = convert(tmp, "base", name -> false);
        changedExpert = convert(tmp, "expert", name -> name.contains(".audio_mlp."));
    }

    private static Path convert(Path tmp, String name, java.util.function.Predicate<String> reseeded) {
        Path ckpt = tmp.resolve(name + "-ckpt"), pkg = tmp.resolve(name);
        SyntheticCheckpoint.write(ckpt, config, 1, true, 11, reseeded);
        Exporter.export(ckpt, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withMaxContext(256), List.of(), Exporter.Progress.SILENT);
        return pkg;
    }

    /** Logits of every position of the prompt. */
    private static float[][] logits(Path pkg, long[] ids, int[][] frames) {
        try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
             OrtAudioLanguageModel model = new OrtAudioLanguageModel(ModelPackage.open(pkg, true), rt);
             var st = model.newState(ids.length)) {
            return model.prefill(st, ids, frames, ids.length);
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    @Test
    void audioInputPositionsAreEmbeddedFromCodesAndGoThroughTheAudioExpert() {
        ModelConfig.SpecialTokens t = config.tokens();
        int k = config.numCodebooks();
        int[][] codes = new int[k][3];
        for (int c = 0; c < k; c++) for (int f = 0; f < 3; f++) codes[c][f] = (7 * c + 13 * f + 5) % config.codebookSize();
        int[][] delayed = DelayPattern.promptFrames(codes, config.streamBos(), config.streamEos()); // [K][3+2+K-1]
        int span = delayed[0].length;
        int[][] frames = new int[span][k];
        for (int i = 0; i < span; i++) for (int c = 0; c < k; c++) frames[i][c] = delayed[c][i];

        // <|begin_of_text|> … system text "SPEAKER0: " <|audio_bos|> <|AUDIO|>×span <|audio_eos|> text <|eot_id|> <|audio_out_bos|>
        int before = 5;
        long[] in = new long[before + span + 4];
        in[0] = t.beginOfText();
        in[1] = 791;
        in[2] = 7160;
        in[3] = 38268;
        in[4] = t.audioBos();
        for (int i = 0; i < span; i++) in[before + i] = t.audioIn();
        in[before + span] = t.audioEos();
        in[before + span + 1] = 1234;
        in[before + span + 2] = t.eot();
        in[before + span + 3] = t.audioOutBos();
        long[] out = in.clone();
        for (int i = 0; i < span; i++) out[before + i] = i < span - (k - 1) ? t.audioOut() : t.audioDelay();

        float[][] a = logits(base, in, frames);
        float[][] asOut = logits(base, out, frames);
        float[][] b = logits(changedExpert, in, frames);
        float[][] bAsOut = logits(changedExpert, out, frames);

        for (int p = 0; p < in.length; p++) {
            // the same embeddings and the same routing as audio output: identical logits at every position
            assertTrue(maxDiff(a[p], asOut[p]) < 1e-5, "position " + p + ": <|AUDIO|> vs <|AUDIO_OUT|> span |Δ| " + maxDiff(a[p], asOut[p]));
            assertTrue(maxDiff(b[p], bAsOut[p]) < 1e-5, "position " + p + " (changed expert): |Δ| " + maxDiff(b[p], bAsOut[p]));
        }
        for (int p = 0; p < before; p++) {
            assertTrue(maxDiff(a[p], b[p]) < 1e-5, "text position " + p + " never meets the audio expert, |Δ| " + maxDiff(a[p], b[p]));
        }
        for (int p = before; p < before + span; p++) {
            assertTrue(maxDiff(a[p], b[p]) > 1e-4, "audio-input position " + p + " goes through the audio expert: its logits change with it (|Δ| "
                    + maxDiff(a[p], b[p]) + ")");
        }
        // attended to as usual: the text after the span sees the expert's output through attention
        assertTrue(maxDiff(a[in.length - 1], b[in.length - 1]) > 1e-4, "the last position attends to the span");

        // and embedded from the codes: other codes at the span change the logits there
        int[][] other = new int[span][];
        for (int i = 0; i < span; i++) {
            other[i] = frames[i].clone();
            for (int c = 0; c < k; c++) if (other[i][c] < config.codebookSize()) other[i][c] = (other[i][c] + 1) % config.codebookSize();
        }
        float[][] otherCodes = logits(base, in, other);
        assertTrue(maxDiff(a[before + 1], otherCodes[before + 1]) > 1e-4, "the span's positions read their codes");
    }
}
