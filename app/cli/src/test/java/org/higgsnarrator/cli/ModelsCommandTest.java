package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.checkpoint.TokenizerSpecials;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.models.Digests;
import org.higgsnarrator.models.ModelStore;
import org.higgsnarrator.models.ModelsOptions;
import org.higgsnarrator.models.PackageConverter;
import org.higgsnarrator.models.ResourceEstimator;
import org.higgsnarrator.pkg.PackageManifest;
import org.higgsnarrator.tensors.ShardedSafeTensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ModelsCommandTest {
    static final Path KIT = Path.of(System.getProperty("narrator.kit.root", "../../shared/conformance"));
    static final Path CKPT = KIT.resolve("tiny/model");
    static final Path CODEC = KIT.resolve("tiny/codec-hf");
    static final Path TOKENIZER = KIT.resolve("text-tokenizer/tokenizer.json");

    @TempDir Path tmp;
    Path models;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    PrintStream oldOut, oldErr;
    String oldHome;

    @BeforeEach
    void redirect() throws IOException {
        models = tmp.resolve("models");
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        oldHome = System.getProperty("narrator.home");
        Path home = tmp.resolve("app");
        System.setProperty("narrator.home", home.toString());
        writePackage(home.resolve("onnx-models/tiny"), "tiny", "fp32", true, Map.of("a.onnx", new byte[] {1, 2, 3}));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        if (oldHome == null) System.clearProperty("narrator.home");
        else System.setProperty("narrator.home", oldHome);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static void writePackage(Path dir, String name, String precision, boolean random, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        Map<String, PackageManifest.FileEntry> entries = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
            entries.put(e.getKey(), new PackageManifest.FileEntry(e.getValue().length, Digests.sha256(dir.resolve(e.getKey()), null)));
        }
        PackageManifest m = new PackageManifest(PackageManifest.FORMAT_VERSION, name, random, org.higgsnarrator.pkg.Precision.parse(precision), null, null, Map.of(), "tokenizer.json",
                PackageManifest.SamplingDefaults.release(), entries, "test", 4096, 0);
        Files.writeString(dir.resolve(PackageManifest.FILE_NAME), PackageManifest.GSON.toJson(m));
    }

    @Test
    void helpNamesEveryAction() {
        assertEquals(0, Main.run(new String[] {"models", "--help"}));
        for (String a : new String[] {"list", "verify NAME", "remove NAME", "download REPO", "import CHECKPOINT_DIR", "advise"}) {
            assertTrue(out().contains(a), a);
        }
        assertEquals(2, Main.run(new String[] {"models"}));
        assertTrue(err().contains("missing action"), err());
    }

    @Test
    void estimateCountsExactlyTheKitCheckpointsTensors() {
        ModelConfig c = CheckpointConfigReader.read(CKPT.resolve("config.json"), TokenizerSpecials.read(TOKENIZER)).config();
        long inFile = 0;
        try (ShardedSafeTensors t = ShardedSafeTensors.open(CKPT)) {
            for (String n : t.names()) inFile += t.info(n).numel(); // the kit omits the unused text head, like the converter
        }
        assertEquals(inFile, ResourceEstimator.count(c, 0).generationModel());
    }

    @Test
    void importConvertsTheKitCheckpointThroughTheHookThenListVerifyRemove() throws Exception {
        Path[] seen = new Path[3];
        PackageConverter converter = (ckpt, codec, tok, outDir, precision, name, progress) -> {
            seen[0] = ckpt;
            seen[1] = codec;
            seen[2] = tok;
            progress.update("convert", 1, 1);
            // Stands in for the export module: a package with the tokenizer and the checkpoint's weights file.
            writePackage(outDir, name, precision.id(), false, Map.of("tokenizer.json", Files.readAllBytes(tok),
                    "weights.bin", Files.readAllBytes(ckpt.resolve("model.safetensors"))));
        };
        ModelsCommand cmd = new ModelsCommand(converter);
        int rc = cmd.run(Args.parse(new String[] {"import", CKPT.toString(), "--codec", CODEC.toString(), "--tokenizer", TOKENIZER.toString(),
                "--precision", "int8", "--name", "tiny-int8", "--models-dir", models.toString()}, Main.FLAGS));
        assertEquals(0, rc, err());
        assertEquals(CODEC, seen[1]);
        assertTrue(err().contains("Estimates ("), err());
        assertTrue(err().contains("int8") && err().contains("← chosen"), err());
        assertTrue(out().contains("Installed tiny-int8 (int8"), out());

        out.reset();
        assertEquals(0, Main.run(new String[] {"models", "list", "--json", "--models-dir", models.toString()}));
        JsonArray arr = JsonParser.parseString(out()).getAsJsonArray();
        assertEquals(2, arr.size());
        assertEquals("tiny", arr.get(0).getAsJsonObject().get("id").getAsString());
        assertTrue(arr.get(0).getAsJsonObject().get("randomWeights").getAsBoolean());
        assertTrue(arr.get(0).getAsJsonObject().get("bundled").getAsBoolean());
        assertEquals("int8", arr.get(1).getAsJsonObject().get("precision").getAsString());
        assertEquals(ModelStoreSize.of(models.resolve("tiny-int8")), arr.get(1).getAsJsonObject().get("sizeBytes").getAsLong());

        out.reset();
        assertEquals(0, Main.run(new String[] {"models", "verify", "tiny-int8", "--models-dir", models.toString()}));
        assertTrue(out().contains("tiny-int8: OK, 2 files"), out());

        Path w = models.resolve("tiny-int8/weights.bin");
        byte[] b = Files.readAllBytes(w);
        b[1000] ^= 0x10;
        Files.write(w, b);
        assertEquals(1, Main.run(new String[] {"models", "verify", "tiny-int8", "--models-dir", models.toString()}));
        assertTrue(err().contains("weights.bin: sha256"), err());

        assertEquals(1, Main.run(new String[] {"models", "remove", "tiny", "--models-dir", models.toString()}));
        assertTrue(err().contains("bundled with the application"), err());
        out.reset();
        assertEquals(0, Main.run(new String[] {"models", "remove", "tiny-int8", "--models-dir", models.toString()}));
        assertTrue(out().startsWith("Removed tiny-int8"), out());
        assertFalse(Files.exists(models.resolve("tiny-int8")));
    }

    /** A folder that is no checkpoint is named as such first, not met with advice about --codec. */
    @Test
    void importOfAFolderWithoutConfigSaysItIsNotACheckpoint() throws IOException {
        Path wrong = Files.createDirectories(tmp.resolve("Downloads"));
        Files.writeString(wrong.resolve("notes.txt"), "hello");
        assertEquals(1, Main.run(new String[] {"models", "import", wrong.toString(), "--models-dir", models.toString()}));
        assertTrue(err().contains("is not a model checkpoint") && err().contains("config.json") && !err().contains("--codec"), err());
        // the audio tokenizer's folder, without --codec: the reader's verdict, not a --codec complaint
        err.reset();
        assertEquals(1, Main.run(new String[] {"models", "import", CODEC.toString(), "--tokenizer", TOKENIZER.toString(), "--models-dir", models.toString()}));
        assertTrue(!err().contains("missing --codec") && (err().contains("not the audio tokenizer or another model") || err().contains("model_type")), err());
    }

    @Test
    void importRefusesAWrongFolderWithTheReadersMessage() {
        assertEquals(1, Main.run(new String[] {"models", "import", CODEC.toString(), "--codec", CODEC.toString(), "--tokenizer", TOKENIZER.toString(),
                "--precision", "int4", "--models-dir", models.toString()}));
        assertTrue(err().contains("not the audio tokenizer or another model") || err().contains("model_type"), err());
        assertEquals(2, Main.run(new String[] {"models", "import", CKPT.toString(), "--codec", CODEC.toString(), "--tokenizer", TOKENIZER.toString(),
                "--precision", "int3", "--models-dir", models.toString()}));
        assertTrue(err().contains("unknown precision 'int3'"), err());
    }

    @Test
    void downloadsFromALocalHubAndReportsAMissingRepository() throws Exception {
        byte[] weights = new byte[300_000];
        new java.util.Random(3).nextBytes(weights);
        byte[] config = "{}".getBytes();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights));
        String tree = "[{\"type\":\"file\",\"path\":\"model.safetensors\",\"size\":" + weights.length + ",\"oid\":\"x\",\"lfs\":{\"oid\":\"" + sha
                + "\",\"size\":" + weights.length + "}},{\"type\":\"file\",\"path\":\"config.json\",\"size\":2}]";
        String commit = "89abcdef0123456789abcdef0123456789abcdef";
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String p = ex.getRequestURI().getPath();
                // main resolves to a commit first; files are then only asked for at that commit
                byte[] body = p.equals("/api/models/acme/tiny/revision/main") ? ("{\"id\":\"acme/tiny\",\"sha\":\"" + commit + "\"}").getBytes()
                        : p.equals("/api/models/acme/tiny/tree/" + commit) ? tree.getBytes()
                        : p.equals("/acme/tiny/resolve/" + commit + "/model.safetensors") ? weights
                        : p.equals("/acme/tiny/resolve/" + commit + "/config.json") ? config : null;
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            Path dest = tmp.resolve("dl");
            assertEquals(0, Main.run(new String[] {"models", "download", "acme/tiny", "--endpoint", endpoint, "--out", dest.toString(), "--jobs", "2"}), err());
            assertEquals(sha, Digests.sha256(dest.resolve("model.safetensors"), null));
            assertTrue(err().contains("download 100.0%"), err());
            assertTrue(out().contains("Downloaded acme/tiny at commit " + commit + ": 2 files"), out());
            assertTrue(Files.readString(dest.resolve(".narrator-source.json")).contains(commit), "the commit is recorded beside the files");

            assertEquals(1, Main.run(new String[] {"models", "download", "acme/none", "--endpoint", endpoint, "--out", tmp.resolve("x").toString()}));
            assertTrue(err().contains("repository 'acme/none' not found on " + endpoint), err());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void adviseUsesTheBenchFileAndTheCheckpointEstimate() throws IOException {
        Path bench = tmp.resolve("bench.json");
        Files.writeString(bench, """
                {"formatVersion": 1, "results": [
                  {"model": "tiny-int4", "precision": "int4", "provider": "cpu", "threads": 2, "realtimeFactor": 3.5,
                   "decodeFramesPerSecond": 87.5, "measuredAt": "2026-11-25T05:00:00Z"}]}
                """);
        assertEquals(0, Main.run(new String[] {"models", "advise", "--checkpoint", CKPT.toString(), "--codec", CODEC.toString(),
                "--tokenizer", TOKENIZER.toString(), "--bench", bench.toString(), "--models-dir", models.toString()}), err());
        assertTrue(out().contains("3.50× real-time (tiny-int4, 2 threads"), out());
        assertTrue(out().contains("Recommended: int4"), out());
    }

    @Test
    void advisePlacementRunsOneProfiledStepAndCudaAdviceNamesThePackagesThatWouldPutAttentionOnTheCpu() {
        Path tiny = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");
        assertEquals(0, Main.run(new String[] {"models", "advise", "--models-dir", models.toString(), "--placement", tiny.toString()}), err());
        assertTrue(out().matches("(?si).*Placement of .*tiny \\(fp32\\) on cpu: all \\d+ decode-step nodes on the CPU.*"), out());
        assertEquals(0, Main.run(new String[] {"models", "advise", "--provider", "cuda", "--models-dir", models.toString()}), err());
        assertTrue(out().contains("Recommended: int4-fp16"), out());
        assertTrue(out().contains("int4: not advised on CUDA — its attention runs on the CPU"), out());
    }

    /** Folder size as the store counts it. */
    static final class ModelStoreSize {
        static long of(Path dir) throws IOException {
            return new ModelStore(ModelsOptions.defaults().withModelsRoot(dir.getParent()).withAppHome(null)).find(dir.getFileName().toString()).sizeBytes();
        }
    }

}
