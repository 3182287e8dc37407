package org.higgsnarrator.export;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.higgsnarrator.tensors.TensorInfo;

/** Builds checkpoint variants of the kit's tiny model (renamed, sharded, broken) for converter tests. */
final class Checkpoints {
    private Checkpoints() {}

    /** boson name → transformers name, from the kit's key map. */
    static Map<String, String> bosonToHf() {
        try {
            JsonObject m = JsonParser.parseString(Files.readString(KitFixture.TINY.resolve("model-hf/hf_to_boson_keys.json"))).getAsJsonObject();
            Map<String, String> out = new LinkedHashMap<>();
            m.entrySet().forEach(e -> out.put(e.getValue().getAsString(), e.getKey()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the official tiny tensors into {@code dir} under new names ({@code rename} returns null to drop one),
     * split into {@code shards} files with an index when shards > 1, beside {@code configDir}'s config.json.
     */
    static Path write(Path dir, Path configDir, Function<String, String> rename, int shards) {
        try {
            Files.createDirectories(dir);
            Files.copy(configDir.resolve("config.json"), dir.resolve("config.json"));
            try (SafeTensorsFile src = SafeTensorsFile.open(KitFixture.OFFICIAL.resolve("model.safetensors"))) {
                List<SafeTensorsWriter.Entry> all = new ArrayList<>();
                for (String n : src.names()) {
                    String to = rename.apply(n);
                    if (to == null) continue;
                    TensorInfo t = src.info(n);
                    all.add(new SafeTensorsWriter.Entry(to, t.dtype(), t.shape(), SafeTensorsWriter.Data.of(src.bytes(n))));
                }
                if (shards <= 1) {
                    SafeTensorsWriter.write(dir.resolve("model.safetensors"), all, Map.of("format", "pt"));
                } else {
                    JsonObject wm = new JsonObject();
                    int per = (all.size() + shards - 1) / shards;
                    for (int s = 0; s < shards; s++) {
                        String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
                        List<SafeTensorsWriter.Entry> part = all.subList(s * per, Math.min(all.size(), (s + 1) * per));
                        part.forEach(e -> wm.addProperty(e.name(), file));
                        SafeTensorsWriter.write(dir.resolve(file), part, Map.of("format", "pt"));
                    }
                    JsonObject index = new JsonObject();
                    index.add("metadata", new JsonObject());
                    index.add("weight_map", wm);
                    Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
