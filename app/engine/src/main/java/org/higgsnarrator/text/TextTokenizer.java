package org.higgsnarrator.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text tokenizer of the generation model: a Hugging Face {@code tokenizer.json} (Llama-3 byte-level BPE with
 * 256 added special tokens) run by the Rust {@code tokenizers} library through DJL's JNI binding, so the ids are
 * exactly those of the reference (same code, same file).
 *
 * <p>Special-token strings inside the text ({@code <|eot_id|>}, {@code <SE>}, …) become their ids, as in the
 * reference processor. Nothing is added around the text: no BOS, no truncation, no padding — the prompt builder
 * writes {@code <|begin_of_text|>} itself.
 *
 * <p>Native library: DJL ships {@code libtokenizers} for linux-x86_64/aarch64, macOS aarch64 and Windows x64 inside
 * its jar and extracts it on first use to {@code <DJL_CACHE_DIR or ~/.djl.ai>/tokenizers/<version>/}. Unless the
 * user chose otherwise, this class switches DJL to offline mode first ({@code ai.djl.offline=true}): DJL then always
 * takes the bundled CPU build and never tries to download a CUDA flavour from publish.djl.ai (which it would on a
 * machine with a CUDA driver). The studio works without network.
 */
public final class TextTokenizer implements AutoCloseable {
    static {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> specials;   // added-token content → id, in file order

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, Map<String, Integer> specials) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.specials = specials;
    }

    /** Loads a Hugging Face {@code tokenizer.json} (a file, or a folder holding one). */
    public static TextTokenizer open(Path tokenizerJson) {
        Path f = Files.isDirectory(tokenizerJson) ? tokenizerJson.resolve("tokenizer.json") : tokenizerJson;
        Map<String, Integer> specials = readAddedTokens(f);
        try {
            // Built from a stream so that no tokenizer_config.json beside the file can switch on a BOS or a
            // 512-token truncation; every option that could alter the ids is set explicitly.
            HuggingFaceTokenizer t;
            try (var in = Files.newInputStream(f)) {
                t = HuggingFaceTokenizer.newInstance(in, Map.of(
                        "addSpecialTokens", "false",
                        "truncation", "false",
                        "padding", "false"));
            }
            return new TextTokenizer(f, t, specials);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(f + ": the tokenizers library could not load this tokenizer.json (" + e.getMessage()
                    + "). Use the tokenizer.json of the Higgs Audio v2 release.", e);
        }
    }

    private static Map<String, Integer> readAddedTokens(Path f) {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(f + ": not found — give the tokenizer.json of the Higgs Audio v2 release");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(f + ": not a readable Hugging Face tokenizer.json (" + e.getMessage() + ")", e);
        }
        if (!root.has("model") || !root.has("added_tokens")) {
            throw new IllegalArgumentException(f + ": not a Hugging Face tokenizer.json (no 'model' or 'added_tokens')");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonElement e : root.getAsJsonArray("added_tokens")) {
            JsonObject t = e.getAsJsonObject();
            out.put(t.get("content").getAsString(), t.get("id").getAsInt());
        }
        return Collections.unmodifiableMap(out);
    }

    public Path file() {
        return file;
    }

    /** Token ids of {@code text}; special-token strings in it become their ids. No BOS is added. */
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** The text of {@code ids}, special tokens included as their strings. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    /** Id of an added/special token such as {@code <|AUDIO_OUT|>}. */
    public int tokenId(String special) {
        Integer id = specials.get(special);
        if (id == null) {
            throw new IllegalArgumentException(file + " has no special token '" + special
                    + "' — this is not the Higgs Audio v2 tokenizer.json (it names its audio tokens <|AUDIO_OUT|>, <|audio_out_bos|>, …)");
        }
        return id;
    }

    /** All added/special tokens: content → id. */
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
