package org.higgsnarrator.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.higgsnarrator.pkg.PackageManifest;

/** Writes package folders for the store tests: real files and a manifest with their real sizes and checksums. */
final class TestPackages {
    private TestPackages() {}

    static Path write(Path dir, String name, String precision, boolean random, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        Map<String, PackageManifest.FileEntry> entries = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
            entries.put(e.getKey(), new PackageManifest.FileEntry(e.getValue().length, Digests.sha256(f, null)));
        }
        PackageManifest m = new PackageManifest(PackageManifest.FORMAT_VERSION, name, random, org.higgsnarrator.pkg.Precision.parse(precision), null, null, Map.of(),
                "tokenizer.json", PackageManifest.SamplingDefaults.release(), entries, "test", 4096, 0);
        Files.writeString(dir.resolve(PackageManifest.FILE_NAME), PackageManifest.GSON.toJson(m));
        return dir;
    }

    static Map<String, byte[]> someFiles(long seed) {
        Random r = new Random(seed);
        byte[] weights = new byte[150_000];
        byte[] graph = new byte[4_000];
        r.nextBytes(weights);
        r.nextBytes(graph);
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("decode_step.onnx", graph);
        m.put("weights/decode_step.onnx.data", weights);
        m.put("tokenizer.json", "{\"added_tokens\": []}".getBytes());
        return m;
    }
}
