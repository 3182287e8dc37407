package org.higgsnarrator.conformance;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.tensors.SafeTensorsFile;

/**
 * A conformance kit directory laid out like {@code shared/conformance/tiny/}: {@code model/}, {@code model-hf/},
 * {@code codec-hf/}, {@code golden/cases.json}, {@code golden/tensors.safetensors}. Everything a case checks is read
 * from here; nothing assumes the tiny sizes.
 */
public final class Kit implements AutoCloseable {
    private final Path dir;
    private final Path tokenizer;
    private final JsonObject cases;
    private final SafeTensorsFile tensors;

    private Kit(Path dir, Path tokenizer, JsonObject cases, SafeTensorsFile tensors) {
        this.dir = dir;
        this.tokenizer = tokenizer;
        this.cases = cases;
        this.tensors = tensors;
    }

    /**
     * @param tokenizer the text tokenizer; null = look for {@code tokenizer.json} in the kit, then
     *                  {@code ../text-tokenizer/tokenizer.json} beside it
     */
    public static Kit open(Path dir, Path tokenizer) {
        Path casesFile = dir.resolve("golden/cases.json");
        if (!Files.isRegularFile(casesFile)) {
            throw new IllegalArgumentException(dir + " is not a conformance kit: " + casesFile + " is missing (expected model/, codec-hf/, golden/)");
        }
        if (tokenizer == null) {
            for (Path p : List.of(dir.resolve("tokenizer.json"), dir.resolve("model/tokenizer.json"), dir.resolveSibling("text-tokenizer/tokenizer.json"))) {
                if (Files.isRegularFile(p)) {
                    tokenizer = p;
                    break;
                }
            }
        }
        try {
            JsonObject cases = JsonParser.parseString(Files.readString(casesFile)).getAsJsonObject();
            Path t = dir.resolve("golden/tensors.safetensors");
            return new Kit(dir, tokenizer, cases, Files.exists(t) ? SafeTensorsFile.open(t) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The text tokenizer's tokenizer.json, or null when none was given or found. */
    public Path tokenizer() {
        return tokenizer;
    }

    public Path officialModel() {
        return dir.resolve("model");
    }

    public Path transformersModel() {
        return dir.resolve("model-hf");
    }

    public Path codec() {
        return dir.resolve("codec-hf");
    }

    public JsonObject cases() {
        return cases;
    }

    /** Names of the prompt cases (plain, clone, dialogue, …) in the kit's order. */
    public List<String> promptNames() {
        return cases.has("prompts") ? new ArrayList<>(cases.getAsJsonObject("prompts").keySet()) : List.of();
    }

    /** The golden tensors; null when the kit has none. */
    public SafeTensorsFile tensors() {
        return tensors;
    }

    @Override
    public void close() {
        if (tensors != null) tensors.close();
    }
}
