package org.higgsnarrator.export;

import org.higgsnarrator.pkg.Precision;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.tensors.DType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How much memory ONNX Runtime takes for a package's two sessions (tag "large", run on request like
 * {@link LargeExportBench}). A mid-size synthetic model (random bf16) is exported; child JVMs then open the prefill
 * session, the decode session, or both, and report their RSS, so the docs can state what sharing one weight file
 * does and does not save.
 */
@Tag("large")
class SessionMemoryBench {
    @Test
    void sessionsMemory() throws Exception {
        Path root = Files.createTempDirectory(Path.of(System.getenv().getOrDefault("NARRATOR_BENCH_DIR", "/tmp")), "narrator-sessmem-");
        try {
            Path ckpt = Files.createDirectories(root.resolve("ckpt"));
            JsonObject cfg = JsonParser.parseString(Files.readString(KitFixture.OFFICIAL.resolve("config.json"))).getAsJsonObject();
            JsonObject text = cfg.getAsJsonObject("text_config");
            text.addProperty("hidden_size", 1024);
            text.addProperty("intermediate_size", 4096);
            text.addProperty("num_hidden_layers", 8);
            text.addProperty("num_attention_heads", 8);
            text.addProperty("num_key_value_heads", 2);
            text.addProperty("head_dim", 128);
            cfg.addProperty("hidden_size", 1024);
            cfg.addProperty("audio_ffn_hidden_size", 1024);
            cfg.addProperty("audio_ffn_intermediate_size", 4096);
            JsonArray dual = new JsonArray();
            for (int i = 0; i < 8; i++) dual.add(i);
            cfg.add("audio_dual_ffn_layers", dual);
            Files.writeString(ckpt.resolve("config.json"), cfg.toString());
            ModelConfig c = CheckpointConfigReader.read(ckpt.resolve("config.json"),
                    org.higgsnarrator.checkpoint.TokenizerSpecials.read(KitFixture.TOKENIZER)).config();
            CheckpointWeights shapes = new CheckpointWeights(null, CheckpointConfigReader.Layout.OFFICIAL, c);
            List<SafeTensorsWriter.Entry> all = new ArrayList<>();
            Random rnd = new Random(1);
            for (String n : CheckpointWeights.requiredNames(c)) {
                long[] shape = shapes.expectedShape(n);
                long count = 1;
                for (long d : shape) count *= d;
                long bytes = count * 2;
                all.add(new SafeTensorsWriter.Entry(n, DType.BF16, shape, ch -> {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (long done = 0; done < bytes; ) {
                        b.clear();
                        int len = (int) Math.min(b.capacity(), bytes - done);
                        for (int i = 0; i < len; i += 2) b.putShort((short) (Float.floatToIntBits((float) rnd.nextGaussian() * 0.02f) >>> 16));
                        b.flip();
                        while (b.hasRemaining()) ch.write(b);
                        done += len;
                    }
                }));
            }
            SafeTensorsWriter.write(ckpt.resolve("model.safetensors"), all, Map.of());
            for (String precision : List.of("fp32", "int4")) {
                Path pkg = root.resolve("pkg-" + precision);
                Exporter.export(ckpt, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withPrecision(Precision.parse(precision)).withMaxContext(4096),
                        List.of(), Exporter.Progress.SILENT);
                long weights = Files.size(pkg.resolve(Exporter.WEIGHTS_FILE));
                System.out.printf("%s package: model.weights %.2f GB%n", precision, weights / 1e9);
                for (String mode : List.of("prefill", "decode", "both", "both-noprepack-prefill")) {
                    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                    Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                            SessionMemoryChild.class.getName(), pkg.toString(), mode).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes()).strip();
                    p.waitFor();
                    System.out.printf("  %-24s %s%n", mode, out.lines().reduce((a, b) -> b).orElse(""));
                }
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                        PrefillSpeedChild.class.getName(), pkg.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                p.waitFor();
                System.out.printf("  %s%n", out.lines().reduce((a, b) -> b).orElse(""));
            }
        } finally {
            Exporter.deleteTree(root);
        }
    }
}
