package org.higgsnarrator.models;

import org.higgsnarrator.pkg.Precision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.pkg.PackageManifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir Path tmp;
    Path home, root;
    ModelStore store;

    @BeforeEach
    void setUp() throws IOException {
        home = tmp.resolve("app");
        root = tmp.resolve("models");
        store = new ModelStore(ModelsOptions.defaults().withModelsRoot(root).withAppHome(home));
        TestPackages.write(home.resolve("onnx-models/tiny"), "tiny (random weights)", "fp32", true, TestPackages.someFiles(1));
        TestPackages.write(root.resolve("voice-int4"), "Higgs v2 int4", "int4", false, TestPackages.someFiles(2));
    }

    @Test
    void listsBundledAndInstalledPackagesFromTheirManifests() throws IOException {
        Files.createDirectories(root.resolve(".import-half-done"));     // work in progress: hidden
        Files.createDirectories(root.resolve("not-a-package"));       // no manifest: ignored
        List<ModelStore.Entry> all = store.list();
        assertEquals(List.of("tiny", "voice-int4"), all.stream().map(ModelStore.Entry::id).toList());
        ModelStore.Entry tiny = all.get(0);
        assertTrue(tiny.bundled());
        assertTrue(tiny.randomWeights());
        assertEquals(Precision.FP32, tiny.precision());
        ModelStore.Entry mine = all.get(1);
        assertFalse(mine.bundled());
        assertEquals("Higgs v2 int4", mine.name());
        assertEquals(Precision.INT4, mine.precision());
        long expected = ModelStore.folderSize(root.resolve("voice-int4"));
        assertTrue(expected > 150_000);
        assertEquals(expected, mine.sizeBytes());
        assertEquals("voice-int4", store.find("Higgs v2 int4").id(), "found by manifest name too");
    }

    @Test
    void verifyPassesAnIntactPackageAndReadsEveryByte() throws IOException {
        List<long[]> progress = new CopyOnWriteArrayList<>();
        ModelStore.VerifyReport r = ModelStore.verify(root.resolve("voice-int4"), (s, d, t) -> progress.add(new long[] {d, t}));
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(3, r.files());
        assertEquals(r.bytes(), progress.getLast()[0]);
    }

    @Test
    void verifyNamesACorruptedFile() throws IOException {
        Path f = root.resolve("voice-int4/weights/decode_step.onnx.data");
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 1;
        Files.write(f, b);
        PackageIntegrityException e = assertThrows(PackageIntegrityException.class,
                () -> ModelStore.requireIntact(root.resolve("voice-int4"), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("weights/decode_step.onnx.data: sha256"), e.getMessage());
        assertTrue(e.getMessage().contains("re-import"), e.getMessage());
    }

    @Test
    void verifyNamesMissingAndTruncatedFiles() throws IOException {
        Files.delete(root.resolve("voice-int4/decode_step.onnx"));
        Files.write(root.resolve("voice-int4/tokenizer.json"), new byte[3]);
        ModelStore.VerifyReport r = ModelStore.verify(root.resolve("voice-int4"), ProgressListener.NONE);
        assertEquals(2, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).startsWith("decode_step.onnx: missing"), r.problems().get(0));
        assertTrue(r.problems().get(1).startsWith("tokenizer.json: 3 bytes, the manifest says"), r.problems().get(1));
    }

    @Test
    void aManifestPathLeavingThePackageIsAProblem() throws IOException {
        Path d = root.resolve("evil");
        TestPackages.write(d, "evil", "int4", false, Map.of("a.bin", new byte[] {1}));
        String json = Files.readString(d.resolve("manifest.json")).replace("\"a.bin\"", "\"../voice-int4/tokenizer.json\"");
        Files.writeString(d.resolve("manifest.json"), json);
        ModelStore.VerifyReport r = ModelStore.verify(d, ProgressListener.NONE);
        assertTrue(r.problems().getFirst().contains("leaves the package folder"), r.problems().toString());
    }

    @Test
    void removeDeletesAnInstalledPackageButRefusesTheBundledOne() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.remove("tiny"));
        assertTrue(e.getMessage().contains("bundled"), e.getMessage());
        assertTrue(Files.exists(home.resolve("onnx-models/tiny/manifest.json")));
        store.remove("voice-int4");
        assertFalse(Files.exists(root.resolve("voice-int4")));
        try (var s = Files.list(root)) {
            assertEquals(0, s.count(), "no leftovers");
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> store.remove("voice-int4"));
        assertTrue(missing.getMessage().contains("no model package 'voice-int4' (installed: tiny"), missing.getMessage());
    }

    @Test
    void newerPackageFormatIsRefusedWithAnUpgradeHint() throws IOException {
        Path m = root.resolve("voice-int4/manifest.json");
        Files.writeString(m, Files.readString(m).replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
        PackageIntegrityException e = assertThrows(PackageIntegrityException.class, () -> ModelStore.readManifest(root.resolve("voice-int4")));
        assertTrue(e.getMessage().contains("newer than this app reads"), e.getMessage());
        assertTrue(store.find("voice-int4").problem().contains("newer"), "list shows the problem instead of failing");
    }

    // ---------------------------------------------------------------------------------------------------- import

    /** A checkpoint-shaped folder: the converter hook below turns it into a package. */
    private ModelStore.ImportRequest request(String name) throws IOException {
        Path ckpt = tmp.resolve("hf/higgs-audio-v2-generation-3B-base");
        Path codec = tmp.resolve("hf/higgs-audio-v2-tokenizer");
        Files.createDirectories(ckpt);
        Files.createDirectories(codec);
        Files.writeString(ckpt.resolve("config.json"), "{}");
        Files.writeString(ckpt.resolve("tokenizer.json"), "{\"added_tokens\": []}");
        Files.writeString(codec.resolve("config.json"), "{}");
        Files.write(codec.resolve("model.pth"), new byte[4000]);
        return new ModelStore.ImportRequest(ckpt, codec, ckpt.resolve("tokenizer.json"), Precision.INT4, name);
    }

    static ModelConfig smallConfig() {
        ModelConfig.SpecialTokens t = new ModelConfig.SpecialTokens(128000, 128001, 128006, 128007, 128009, 128011, 128012, 128013, 128014,
                128015, 128016, 1024, 1025);
        return new ModelConfig(32, 64, 2, 4, 2, 8, 128256, 1e-5, new ModelConfig.Rope("default", 500000, 1, 1, 1, 0), 131072,
                32, 64, List.of(0, 1), 8, 1024, true, t);
    }

    /** Stands in for the export module until it is wired: writes package files and a manifest into outDir. */
    static PackageConverter writingConverter(boolean breakChecksum) {
        return (ckpt, codec, tok, out, precision, name, progress) -> {
            progress.update("convert", 0, 2);
            Map<String, byte[]> files = TestPackages.someFiles(7);
            files.put("tokenizer.json", Files.readAllBytes(tok));
            TestPackages.write(out, name, precision.id(), false, files);
            if (breakChecksum) Files.write(out.resolve("decode_step.onnx"), new byte[] {1, 2, 3});
            progress.update("convert", 2, 2);
        };
    }

    @Test
    void importPlansWithEstimatesThenInstallsAtomically() throws IOException {
        ModelStore.ImportPlan plan = store.planImport(request(null), smallConfig(), 1000);
        assertTrue(plan.blockers().isEmpty(), plan.blockers().toString());
        assertEquals("higgs-audio-v2-generation-3B-base-int4", plan.name());
        assertEquals(Precision.values().length, plan.estimates().size());
        assertTrue(plan.estimates().get(Precision.INT4).packageBytes() < plan.estimates().get(Precision.FP32).packageBytes());
        List<String> stages = new CopyOnWriteArrayList<>();
        ModelStore.Entry e = store.importPackage(plan, writingConverter(false), (s, d, t) -> stages.add(s));
        assertEquals("higgs-audio-v2-generation-3B-base-int4", e.id());
        assertEquals(Precision.INT4, e.precision());
        assertTrue(stages.contains("convert") && stages.stream().anyMatch(s -> s.startsWith("verify")), stages.toString());
        assertTrue(ModelStore.verify(e.dir(), ProgressListener.NONE).ok());
        try (var s = Files.list(root)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".import")), "temporary folder removed");
        }
        // Importing under the same name again is blocked with a hint.
        ModelStore.ImportPlan again = store.planImport(request(null), smallConfig(), 1000);
        assertTrue(again.blockers().getFirst().contains("already exists; remove it first"), again.blockers().toString());
        assertThrows(IllegalStateException.class, () -> store.importPackage(again, writingConverter(false), ProgressListener.NONE));
    }

    @Test
    void aConversionWhoseOutputFailsVerificationInstallsNothing() throws IOException {
        ModelStore.ImportPlan plan = store.planImport(request("broken"), smallConfig(), 1000);
        PackageIntegrityException e = assertThrows(PackageIntegrityException.class,
                () -> store.importPackage(plan, writingConverter(true), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("decode_step.onnx: 3 bytes"), e.getMessage());
        assertFalse(Files.exists(root.resolve("broken")));
        try (var s = Files.list(root)) {
            assertEquals(List.of("voice-int4"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void importNamesWhatIsMissing() throws IOException {
        ModelStore.ImportRequest r = request("x");
        Files.delete(r.codecDir().resolve("config.json"));
        ModelStore.ImportPlan plan = store.planImport(new ModelStore.ImportRequest(r.checkpointDir(), r.codecDir(), r.tokenizer(), r.precision(), "bad name!"), smallConfig(), 1000);
        assertTrue(plan.blockers().stream().anyMatch(b -> b.contains("higgs-audio-v2-tokenizer/config.json not found (the audio tokenizer's config)")), plan.blockers().toString());
        assertTrue(plan.blockers().stream().anyMatch(b -> b.contains("package name 'bad name!'")), plan.blockers().toString());
    }

    @Test
    void manifestRecordRoundTripsThroughTheStoreReader() throws IOException {
        PackageManifest m = ModelStore.readManifest(root.resolve("voice-int4"));
        assertEquals(3, m.files().size());
    }
}
