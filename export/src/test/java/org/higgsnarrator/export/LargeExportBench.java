package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.tensors.DType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memory proof for the real 11.5 GB checkpoint, NOT in the default test run (tag "large"; run with
 * {@code ./mvnw -B test -pl export -am -Dgroups=large -Dnarrator.excludedGroups= -Dtest=LargeExportBench -Dsurefire.failIfNoSpecifiedTests=false}).
 * Writes a synthetic checkpoint with the released sizes (bf16, 3 shards + index, sparse files: no disk for the
 * input), converts it in a child JVM capped at -Xmx1g, and samples the child's /proc status: peak RSS (VmHWM), its
 * anonymous part (heap + native) and its file-mapped part (checkpoint pages the kernel may drop at will).
 * Environment: NARRATOR_BENCH_DIR (default /tmp), NARRATOR_BENCH_PRECISION (default fp16).
 */
@Tag("large")
class LargeExportBench {
    @Test
    void releasedSizeCheckpointConvertsInSmallMemory() throws Exception {
        Path root = Files.createTempDirectory(Path.of(System.getenv().getOrDefault("NARRATOR_BENCH_DIR", "/tmp")), "narrator-large-");
        String precision = System.getenv().getOrDefault("NARRATOR_BENCH_PRECISION", "fp16");
        try {
            Path ckpt = Files.createDirectories(root.resolve("checkpoint"));
            JsonObject cfg = JsonParser.parseString(Files.readString(KitFixture.OFFICIAL.resolve("config.json"))).getAsJsonObject();
            JsonObject text = cfg.getAsJsonObject("text_config");
            text.addProperty("hidden_size", 3072);
            text.addProperty("intermediate_size", 8192);
            text.addProperty("num_hidden_layers", 28);
            text.addProperty("num_attention_heads", 24);
            text.addProperty("num_key_value_heads", 8);
            text.addProperty("head_dim", 128);
            cfg.addProperty("hidden_size", 3072);
            cfg.addProperty("audio_ffn_hidden_size", 3072);
            cfg.addProperty("audio_ffn_intermediate_size", 8192);
            JsonArray dual = new JsonArray();
            for (int i = 0; i < 28; i++) dual.add(i);
            cfg.add("audio_dual_ffn_layers", dual);
            Files.writeString(ckpt.resolve("config.json"), cfg.toString());
            ModelConfig c = CheckpointConfigReader.read(ckpt.resolve("config.json"),
                    org.higgsnarrator.checkpoint.TokenizerSpecials.read(KitFixture.TOKENIZER)).config();
            CheckpointWeights shapes = new CheckpointWeights(null, CheckpointConfigReader.Layout.OFFICIAL, c);
            List<SafeTensorsWriter.Entry> all = new ArrayList<>();
            for (String n : CheckpointWeights.requiredNames(c)) all.add(SyntheticCheckpoint.sparse(n, shapes.expectedShape(n)));
            all.add(SyntheticCheckpoint.sparse(CheckpointWeights.TEXT_LM_HEAD, new long[] {c.vocabSize(), c.hiddenSize()}));
            long inBytes = 0;
            JsonObject wm = new JsonObject();
            int shards = 3, per = (all.size() + shards - 1) / shards;
            for (int s = 0; s < shards; s++) {
                String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
                List<SafeTensorsWriter.Entry> part = all.subList(s * per, Math.min(all.size(), (s + 1) * per));
                for (var e : part) {
                    wm.addProperty(e.name(), file);
                    inBytes += e.bytes();
                }
                SafeTensorsWriter.write(ckpt.resolve(file), part, Map.of("format", "pt"));
            }
            JsonObject index = new JsonObject();
            index.add("weight_map", wm);
            Files.writeString(ckpt.resolve("model.safetensors.index.json"), index.toString());
            System.out.printf("synthetic checkpoint: %.2f GB bf16 (sparse)%n", inBytes / 1e9);

            Path out = root.resolve("package");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    LargeExportChild.class.getName(), ckpt.toString(), KitFixture.TOKENIZER.toString(), out.toString(), precision);
            pb.inheritIO();
            long t0 = System.nanoTime();
            Process p = pb.start();
            long hwm = 0, anonPeak = 0, filePeak = 0;
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            while (p.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) hwm = Math.max(hwm, kb(line));
                        if (line.startsWith("RssAnon:")) anonPeak = Math.max(anonPeak, kb(line));
                        if (line.startsWith("RssFile:")) filePeak = Math.max(filePeak, kb(line));
                    }
                } catch (IOException gone) {
                    break;
                }
                Thread.sleep(200);
            }
            int rc = p.waitFor();
            double secs = (System.nanoTime() - t0) / 1e9;
            long outBytes;
            try (var s = Files.list(out)) {
                outBytes = s.mapToLong(f -> f.toFile().length()).sum();
            }
            System.out.printf("converted to %s: %.2f GB in %.0f s; child JVM -Xmx1g: peak RSS (VmHWM) %.2f GB, peak RssAnon %.2f GB, peak RssFile %.2f GB%n",
                    precision, outBytes / 1e9, secs, hwm / 1e6, anonPeak / 1e6, filePeak / 1e6);
            assertEquals(0, rc, "export child failed");
            assertTrue(anonPeak < 2_000_000, "anonymous memory peaked at " + anonPeak + " kB");
        } finally {
            Exporter.deleteTree(root);
        }
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
