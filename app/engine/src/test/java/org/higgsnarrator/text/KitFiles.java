package org.higgsnarrator.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The conformance kit as the tests read it: {@code narrator.kit.root} (set by surefire to ../shared/conformance). */
final class KitFiles {
    private KitFiles() {}

    static Path root() {
        String p = System.getProperty("narrator.kit.root");
        assertTrue(p != null, "system property narrator.kit.root is not set (surefire sets it to ../shared/conformance)");
        Path root = Path.of(p);
        assertTrue(Files.isDirectory(root), "conformance kit not found at " + root);
        return root;
    }

    static Path tokenizerJson() {
        return root().resolve("text-tokenizer/tokenizer.json");
    }

    static Path tiny() {
        return root().resolve("tiny");
    }

    static JsonObject cases() {
        return json(tiny().resolve("golden/cases.json"));
    }

    static JsonObject json(Path p) {
        try {
            return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
