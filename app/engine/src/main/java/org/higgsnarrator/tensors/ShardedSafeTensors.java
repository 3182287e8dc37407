package org.higgsnarrator.tensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A checkpoint directory: either {@code model.safetensors.index.json} + shards, or a single {@code model.safetensors}
 * (or any lone {@code *.safetensors}). Shards are opened up front so a missing or truncated shard fails immediately.
 */
public final class ShardedSafeTensors implements TensorSource {
    private final Path dir;
    private final List<SafeTensorsFile> files;
    private final Map<String, SafeTensorsFile> owner;

    private ShardedSafeTensors(Path dir, List<SafeTensorsFile> files, Map<String, SafeTensorsFile> owner) {
        this.dir = dir;
        this.files = files;
        this.owner = owner;
    }

    public static ShardedSafeTensors open(Path dir) {
        if (!Files.isDirectory(dir)) throw new TensorFileException(dir + ": not a directory; pass the folder that holds config.json and the .safetensors files");
        Path index = dir.resolve("model.safetensors.index.json");
        List<SafeTensorsFile> files = new ArrayList<>();
        Map<String, SafeTensorsFile> owner = new LinkedHashMap<>();
        try {
            if (Files.exists(index)) {
                JsonObject wm;
                try {
                    wm = JsonParser.parseString(Files.readString(index)).getAsJsonObject().getAsJsonObject("weight_map");
                } catch (RuntimeException e) {
                    throw new TensorFileException(index + ": not a valid safetensors index (needs a \"weight_map\" object)", e);
                }
                if (wm == null) throw new TensorFileException(index + ": no \"weight_map\" in the index");
                Map<String, SafeTensorsFile> byShard = new LinkedHashMap<>();
                for (String shard : new TreeSet<>(wm.asMap().values().stream().map(JsonElement::getAsString).toList())) {
                    Path p = dir.resolve(shard);
                    if (!Files.exists(p)) {
                        throw new TensorFileException(index + " lists shard '" + shard + "' but " + p + " does not exist — the download is incomplete; fetch the missing shard");
                    }
                    SafeTensorsFile f = SafeTensorsFile.open(p);
                    files.add(f);
                    byShard.put(shard, f);
                }
                for (Map.Entry<String, JsonElement> e : wm.entrySet()) {
                    SafeTensorsFile f = byShard.get(e.getValue().getAsString());
                    if (!f.contains(e.getKey())) {
                        throw new TensorFileException(index + " says '" + e.getKey() + "' is in " + f.path().getFileName() + " but that shard does not hold it — the shard is damaged or from another version");
                    }
                    owner.put(e.getKey(), f);
                }
            } else {
                List<Path> found;
                try (var s = Files.list(dir)) {
                    found = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
                }
                if (found.isEmpty()) throw new TensorFileException(dir + ": no model.safetensors.index.json and no .safetensors file — is this a Hugging Face checkpoint folder?");
                for (Path p : found) {
                    SafeTensorsFile f = SafeTensorsFile.open(p);
                    files.add(f);
                    for (String n : f.names()) owner.putIfAbsent(n, f);
                }
            }
        } catch (IOException e) {
            files.forEach(SafeTensorsFile::close);
            throw new TensorFileException(dir + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            files.forEach(SafeTensorsFile::close);
            throw e;
        }
        return new ShardedSafeTensors(dir, files, Collections.unmodifiableMap(owner));
    }

    public Path dir() {
        return dir;
    }

    @Override
    public Set<String> names() {
        return owner.keySet();
    }

    @Override
    public boolean contains(String name) {
        return owner.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        SafeTensorsFile f = owner.get(name);
        if (f == null) throw new TensorFileException(dir + ": no tensor named '" + name + "'" + Names.suggest(name, owner.keySet()));
        return f.info(name);
    }

    @Override
    public MemorySegment bytes(String name) {
        info(name);
        return owner.get(name).bytes(name);
    }

    @Override
    public void close() {
        files.forEach(SafeTensorsFile::close);
    }
}
