package org.higgsnarrator.decode;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.config.ModelConfig;

/**
 * Test access to the conformance kit (system property {@code narrator.kit.root}, set by surefire): the tiny model's
 * configuration read from {@code tiny/model-hf/config.json} and the kit tokenizer's special tokens, so that no test
 * assumes the tiny sizes or hard-codes token ids. (The full reader lives in the export module, which depends on this
 * one; these tests need only the fields below.)
 */
public final class KitModel {
    private KitModel() {}

    public static Path kitRoot() {
        String root = System.getProperty("narrator.kit.root");
        if (root == null) throw new IllegalStateException("system property narrator.kit.root is not set (surefire sets it to ../shared/conformance)");
        return Path.of(root);
    }

    public static Path tiny() {
        return kitRoot().resolve("tiny");
    }

    public static JsonObject json(Path p) {
        try {
            return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModelConfig cached;

    /** The tiny model's config: sizes from model-hf/config.json, the template's special tokens from tokenizer.json. */
    public static synchronized ModelConfig config() {
        if (cached == null) cached = readConfig();
        return cached;
    }

    private static ModelConfig readConfig() {
        JsonObject c = json(tiny().resolve("model-hf/config.json"));
        Map<String, Integer> special = new HashMap<>();
        for (JsonElement e : json(kitRoot().resolve("text-tokenizer/tokenizer.json")).getAsJsonArray("added_tokens")) {
            special.put(e.getAsJsonObject().get("content").getAsString(), e.getAsJsonObject().get("id").getAsInt());
        }
        JsonObject rp = c.getAsJsonObject("rope_parameters");
        var rope = new ModelConfig.Rope(rp.get("rope_type").getAsString(), rp.get("rope_theta").getAsDouble(), rp.get("factor").getAsDouble(),
                rp.get("low_freq_factor").getAsDouble(), rp.get("high_freq_factor").getAsDouble(), rp.get("original_max_position_embeddings").getAsInt());
        var tokens = new ModelConfig.SpecialTokens(
                special.get("<|begin_of_text|>"), special.get("<|end_of_text|>"), special.get("<|start_header_id|>"),
                special.get("<|end_header_id|>"), c.get("eos_token_id").getAsInt(), special.get("<|audio_bos|>"), special.get("<|audio_eos|>"),
                c.get("audio_bos_token_id").getAsInt(), c.get("audio_delay_token_id").getAsInt(), special.get("<|AUDIO|>"),
                c.get("audio_token_id").getAsInt(), c.get("audio_stream_bos_id").getAsInt(), c.get("audio_stream_eos_id").getAsInt());
        int layers = c.get("num_hidden_layers").getAsInt();
        return new ModelConfig(c.get("hidden_size").getAsInt(), c.get("intermediate_size").getAsInt(), layers,
                c.get("num_attention_heads").getAsInt(), c.get("num_key_value_heads").getAsInt(), c.get("head_dim").getAsInt(),
                c.get("vocab_size").getAsInt(), c.get("rms_norm_eps").getAsDouble(), rope, c.get("max_position_embeddings").getAsInt(),
                c.get("hidden_size").getAsInt(), c.get("intermediate_size").getAsInt(), java.util.stream.IntStream.range(0, layers).boxed().toList(),
                c.get("num_codebooks").getAsInt(), c.get("codebook_size").getAsInt() - 2, true, tokens);
    }

    /** {@code prompts.<name>.input_ids} of golden/cases.json. */
    public static long[] promptIds(String name) {
        var arr = json(tiny().resolve("golden/cases.json")).getAsJsonObject("prompts").getAsJsonObject(name).getAsJsonArray("input_ids");
        long[] ids = new long[arr.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = arr.get(i).getAsLong();
        return ids;
    }

    public static List<String> promptNames() {
        return List.copyOf(json(tiny().resolve("golden/cases.json")).getAsJsonObject("prompts").keySet());
    }
}
