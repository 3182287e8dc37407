package org.higgsnarrator.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.config.ModelConfig;

/**
 * Reads the generation model's {@code config.json} in either layout into one {@link ModelConfig}:
 * <ul>
 *   <li>official Boson ({@code model_type: higgs_audio}): Llama fields under {@code text_config}, audio fields on top;</li>
 *   <li>transformers ({@code model_type: higgs_audio_v2}): flat Llama fields, {@code rope_parameters},
 *       {@code codebook_size} counting the two stream specials.</li>
 * </ul>
 * Token ids the config does not carry come from the tokenizer's special tokens (by their release names); where both
 * carry one, they must agree.
 */
public final class CheckpointConfigReader {
    private CheckpointConfigReader() {}

    public enum Layout { OFFICIAL, TRANSFORMERS }

    public record Result(Layout layout, ModelConfig config) {}

    /**
     * @param configJson    the checkpoint's config.json
     * @param specialTokens the tokenizer's special/added tokens (content → id); may be empty when the config has all ids
     */
    public static Result read(Path configJson, Map<String, Integer> specialTokens) {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(configJson)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new CheckpointFormatException(configJson + ": not found — a checkpoint folder must contain config.json");
        } catch (IOException | RuntimeException e) {
            throw new CheckpointFormatException(configJson + ": not a readable JSON object (" + (e instanceof IOException ? e.getMessage() : org.higgsnarrator.io.JsonProblems.describe(e)) + ")", e);
        }
        String modelType = str(root, "model_type", configJson, null);
        return switch (modelType == null ? "" : modelType) {
            case "higgs_audio" -> new Result(Layout.OFFICIAL, readOfficial(root, configJson, specialTokens));
            case "higgs_audio_v2" -> new Result(Layout.TRANSFORMERS, readTransformers(root, configJson, specialTokens));
            default -> throw new CheckpointFormatException(configJson + ": model_type is '" + modelType
                    + "'; expected 'higgs_audio' (official bosonai/higgs-audio-v2-generation-3B-base) or 'higgs_audio_v2' (transformers)."
                    + " Point --checkpoint at the Higgs Audio v2 generation model, not the audio tokenizer or another model.");
        };
    }

    private static ModelConfig readOfficial(JsonObject root, Path f, Map<String, Integer> special) {
        JsonObject text = root.getAsJsonObject("text_config");
        if (text == null) throw new CheckpointFormatException(f + ": official layout needs a 'text_config' object");
        requireReleasedArchitecture(root, f);
        int hidden = integer(text, "hidden_size", f);
        int heads = integer(text, "num_attention_heads", f);
        int headDim = text.has("head_dim") ? integer(text, "head_dim", f) : hidden / heads;
        JsonObject rs = text.has("rope_scaling") && text.get("rope_scaling").isJsonObject() ? text.getAsJsonObject("rope_scaling") : null;
        ModelConfig.Rope rope = rope(rs, num(text, "rope_theta", f, 10000.0), f);
        int layers = integer(text, "num_hidden_layers", f);
        List<Integer> dual = new ArrayList<>();
        String adapter = str(root, "audio_adapter_type", f, "dual_ffn_fast_forward");
        if (!adapter.startsWith("dual_ffn")) {
            throw new CheckpointFormatException(f + ": audio_adapter_type '" + adapter + "' is not supported (only dual_ffn / dual_ffn_fast_forward)");
        }
        if (root.has("audio_dual_ffn_layers")) {
            for (JsonElement e : root.getAsJsonArray("audio_dual_ffn_layers")) dual.add(e.getAsInt());
        } else {
            for (int i = 0; i < layers; i++) dual.add(i);
        }
        if (dual.size() != layers) {
            throw new CheckpointFormatException(f + ": audio_dual_ffn_layers lists " + dual.size() + " of " + layers
                    + " layers; fast-forwarded (audio-skipping) layers are not supported by this converter");
        }
        int codebookSize = integer(root, "audio_codebook_size", f);
        int bos = root.has("audio_stream_bos_id") ? integer(root, "audio_stream_bos_id", f) : codebookSize;
        int eos = root.has("audio_stream_eos_id") ? integer(root, "audio_stream_eos_id", f) : codebookSize + 1;
        TokenIds ids = new TokenIds(f, special);
        ModelConfig.SpecialTokens tokens = new ModelConfig.SpecialTokens(
                ids.get("<|begin_of_text|>", text, "bos_token_id"),
                ids.get("<|end_of_text|>", root, "pad_token_id"),
                ids.get("<|start_header_id|>", null, null),
                ids.get("<|end_header_id|>", null, null),
                ids.get("<|eot_id|>", null, null),
                ids.get("<|audio_bos|>", root, "audio_bos_token_id"),
                ids.get("<|audio_eos|>", root, "audio_eos_token_id"),
                ids.get("<|audio_out_bos|>", root, "audio_out_bos_token_id"),
                ids.get("<|reserved_special_token_6|>", root, "audio_delay_token_id"),
                ids.get("<|AUDIO|>", root, "audio_in_token_idx"),
                ids.get("<|AUDIO_OUT|>", root, "audio_out_token_idx"),
                bos, eos);
        return new ModelConfig(hidden, integer(text, "intermediate_size", f), layers, heads,
                integer(text, "num_key_value_heads", f), headDim, integer(text, "vocab_size", f),
                num(text, "rms_norm_eps", f, 1e-5), rope, integer(text, "max_position_embeddings", f),
                // The audio expert is built from text_config, whatever audio_ffn_hidden_size / audio_ffn_intermediate_size
                // say (boson_multimodal/model/higgs_audio/modeling_higgs_audio.py L406, L417:
                // self.audio_mlp = LlamaMLP(text_config)); the weights have the text MLP's shapes.
                hidden,
                integer(text, "intermediate_size", f),
                dual, integer(root, "audio_num_codebooks", f), codebookSize,
                !root.has("use_delay_pattern") || root.get("use_delay_pattern").getAsBoolean(), tokens);
    }

    private static ModelConfig readTransformers(JsonObject root, Path f, Map<String, Integer> special) {
        int hidden = integer(root, "hidden_size", f);
        int heads = integer(root, "num_attention_heads", f);
        int headDim = root.has("head_dim") ? integer(root, "head_dim", f) : hidden / heads;
        JsonObject rp = root.has("rope_parameters") ? root.getAsJsonObject("rope_parameters")
                : root.has("rope_scaling") && root.get("rope_scaling").isJsonObject() ? root.getAsJsonObject("rope_scaling") : null;
        double theta = rp != null && rp.has("rope_theta") ? rp.get("rope_theta").getAsDouble() : num(root, "rope_theta", f, 10000.0);
        ModelConfig.Rope rope = rope(rp, theta, f);
        int layers = integer(root, "num_hidden_layers", f);
        List<Integer> dual = new ArrayList<>();
        for (int i = 0; i < layers; i++) dual.add(i);
        int entries = integer(root, "codebook_size", f); // transformers counts BOS and EOS
        int bos = root.has("audio_stream_bos_id") ? integer(root, "audio_stream_bos_id", f) : entries - 2;
        int eos = root.has("audio_stream_eos_id") ? integer(root, "audio_stream_eos_id", f) : entries - 1;
        TokenIds ids = new TokenIds(f, special);
        ModelConfig.SpecialTokens tokens = new ModelConfig.SpecialTokens(
                ids.get("<|begin_of_text|>", null, null), // its bos_token_id field is a placeholder (1)
                ids.get("<|end_of_text|>", root, "pad_token_id"),
                ids.get("<|start_header_id|>", null, null),
                ids.get("<|end_header_id|>", null, null),
                ids.get("<|eot_id|>", root, "eos_token_id"),
                ids.get("<|audio_bos|>", null, null),
                ids.get("<|audio_eos|>", null, null),
                ids.get("<|audio_out_bos|>", root, "audio_bos_token_id"),
                ids.get("<|reserved_special_token_6|>", root, "audio_delay_token_id"),
                ids.get("<|AUDIO|>", null, null),
                ids.get("<|AUDIO_OUT|>", root, "audio_token_id"),
                bos, eos);
        return new ModelConfig(hidden, integer(root, "intermediate_size", f), layers, heads,
                integer(root, "num_key_value_heads", f), headDim, integer(root, "vocab_size", f),
                num(root, "rms_norm_eps", f, 1e-5), rope, integer(root, "max_position_embeddings", f),
                hidden, integer(root, "intermediate_size", f), dual, integer(root, "num_codebooks", f), entries - 2, true, tokens);
    }

    private static ModelConfig.Rope rope(JsonObject rs, double theta, Path f) {
        if (rs == null) return new ModelConfig.Rope("default", theta, 1, 1, 1, 0);
        String type = rs.has("rope_type") ? rs.get("rope_type").getAsString() : rs.has("type") ? rs.get("type").getAsString() : "default";
        if (!type.equals("llama3") && !type.equals("default")) {
            throw new CheckpointFormatException(f + ": rope type '" + type + "' is not supported (llama3 or default)");
        }
        if (type.equals("default")) return new ModelConfig.Rope("default", theta, 1, 1, 1, 0);
        return new ModelConfig.Rope("llama3", theta, num(rs, "factor", f, 8), num(rs, "low_freq_factor", f, 1),
                num(rs, "high_freq_factor", f, 4), (int) num(rs, "original_max_position_embeddings", f, 8192));
    }

    /** Resolves a token id from config (if present) and tokenizer (if given); they must agree. */
    private record TokenIds(Path f, Map<String, Integer> special) {
        int get(String content, JsonObject cfg, String field) {
            Integer fromCfg = cfg != null && field != null && cfg.has(field) && !cfg.get(field).isJsonNull() ? cfg.get(field).getAsInt() : null;
            Integer fromTok = special.get(content);
            if (fromCfg != null && fromTok != null && !fromCfg.equals(fromTok)) {
                throw new CheckpointFormatException(f + ": " + field + " = " + fromCfg + " but the tokenizer has " + content + " = " + fromTok
                        + "; the tokenizer does not belong to this checkpoint");
            }
            if (fromCfg != null) return fromCfg;
            if (fromTok != null) return fromTok;
            throw new CheckpointFormatException(f + ": no id for special token " + content + (field == null ? "" : " (config field " + field + ")")
                    + "; pass the release's tokenizer.json (--tokenizer) so the id can be looked up");
        }
    }

    /**
     * Switches of Boson's config that change the architecture. The converter builds the released one; a checkpoint
     * that turns any of them on is refused, naming the switch, rather than converted into a model that computes
     * something else. Defaults and code: configuration_higgs_audio.py L124-135; modeling_higgs_audio.py L931-936
     * (audio_embed_avg: mean instead of sum of the codebook embeddings; use_audio_out_embed_projector: a Linear after
     * them), L826-858 (use_audio_out_self_attention: a separate audio attention per dual-FFN layer), L888
     * (audio_decoder_proj_num_layers: transformer layers in the audio head), configuration L198-206 (use_rq_transformer).
     */
    static void requireReleasedArchitecture(JsonObject root, Path f) {
        for (String flag : List.of("audio_embed_avg", "use_audio_out_embed_projector", "use_audio_out_self_attention", "use_rq_transformer")) {
            if (!root.has(flag) || root.get(flag).isJsonNull()) continue;
            var v = root.get(flag).getAsJsonPrimitive();
            boolean on = v.isBoolean() ? v.getAsBoolean() : v.getAsDouble() != 0; // the release writes use_audio_out_self_attention: 0
            if (on) {
                throw new CheckpointFormatException(f + ": " + flag + " is on; this converter builds the released Higgs Audio v2 architecture"
                        + " (" + flag + " off) and cannot convert this checkpoint faithfully");
            }
        }
        if (root.has("audio_decoder_proj_num_layers") && root.get("audio_decoder_proj_num_layers").getAsInt() != 0) {
            throw new CheckpointFormatException(f + ": audio_decoder_proj_num_layers is " + root.get("audio_decoder_proj_num_layers").getAsInt()
                    + "; this converter builds the released architecture (0: the audio head is one linear layer)");
        }
    }

    private static int integer(JsonObject o, String k, Path f) {
        if (!o.has(k) || o.get(k).isJsonNull()) throw new CheckpointFormatException(f + ": missing field '" + k + "'");
        try {
            return o.get(k).getAsInt();
        } catch (RuntimeException e) {
            throw new CheckpointFormatException(f + ": field '" + k + "' must be an integer, got " + o.get(k));
        }
    }

    private static double num(JsonObject o, String k, Path f, double dflt) {
        if (!o.has(k) || o.get(k).isJsonNull()) return dflt;
        try {
            return o.get(k).getAsDouble();
        } catch (RuntimeException e) {
            throw new CheckpointFormatException(f + ": field '" + k + "' must be a number, got " + o.get(k));
        }
    }

    private static String str(JsonObject o, String k, Path f, String dflt) {
        return o.has(k) && !o.get(k).isJsonNull() ? o.get(k).getAsString() : dflt;
    }
}
