package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.higgsnarrator.export.PackageConversion;
import org.higgsnarrator.models.BenchResults;
import org.higgsnarrator.models.ModelStore;
import org.higgsnarrator.models.ModelsOptions;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.models.PrecisionAdvisor;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.BackendInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Models view model on the real model store, the real converter (export module) and the conformance kit's tiny
 * checkpoint, run synchronously. The hub download is tested at the engine level (HubClient against a local server).
 */
class ModelsViewModelTest {
    @TempDir
    Path tmp;
    final ObjectProperty<BackendInfo> backend = new SimpleObjectProperty<>();
    final List<Path> used = new ArrayList<>();
    ModelsOptions options;
    ModelsViewModel vm;

    static final Path REPO = Path.of(System.getProperty("narrator.repo.root", "../.."));
    static final Path KIT = Path.of(System.getProperty("narrator.kit.root", "../../../shared/conformance"));

    @BeforeEach
    void setUp() {
        options = ModelsOptions.defaults().withModelsRoot(tmp.resolve("models")).withAppHome(REPO).withBenchFile(tmp.resolve("bench.json"));
        backend.set(new BackendInfo("tiny (random weights)", REPO.resolve("onnx-models/tiny"), true, Precision.FP32, org.higgsnarrator.runtime.Device.CPU,
                "CPU: CUDA not requested", 0, true, null));
        vm = new ModelsViewModel(options, PackageConversion::convert, new SynchronousExecutor(), backend, used::add);
    }

    private ModelStore.Entry bundled() {
        return vm.packages.stream().filter(ModelStore.Entry::bundled).findFirst().orElseThrow();
    }

    @Test
    void firstRunListsOnlyTheBundledTestModelAndEstimatesTheRelease() {
        assertTrue(Files.exists(REPO.resolve("onnx-models/tiny/manifest.json")), "bundled model not built");
        vm.refresh();
        assertTrue(vm.onlyTestModels.get());
        ModelStore.Entry b = bundled();
        assertTrue(b.randomWeights(), "the bundled package is the random-weight test model");
        assertTrue(vm.device.get().contains("CPU") && vm.device.get().contains("CUDA not requested"), vm.device.get());
        assertTrue(vm.estimateBasis.get().contains(ModelsViewModel.RELEASE_REPO), vm.estimateBasis.get());

        // one row per precision, smaller precisions need less; memory adds KV cache + runtime to the weights
        assertEquals(List.of(Precision.values()), vm.estimates.stream().map(ModelsViewModel.EstimateRow::precision).toList());
        for (int i = 1; i <= Precision.INT4.ordinal(); i++) {
            assertTrue(vm.estimates.get(i).diskBytes() < vm.estimates.get(i - 1).diskBytes(), vm.estimates.toString());
        }
        // the fp16-activation quantized packages store fp16 block scales: a little smaller than int8/int4
        assertTrue(vm.estimates.get(Precision.INT8_FP16.ordinal()).diskBytes() < vm.estimates.get(Precision.INT8.ordinal()).diskBytes());
        assertTrue(vm.estimates.get(Precision.INT4_FP16.ordinal()).diskBytes() < vm.estimates.get(Precision.INT4.ordinal()).diskBytes());
        for (ModelsViewModel.EstimateRow r : vm.estimates) assertTrue(r.ramBytes() > r.diskBytes(), r.toString());
        double ratio = (double) vm.estimates.get(0).diskBytes() / vm.estimates.get(1).diskBytes();
        assertTrue(ratio > 1.8 && ratio < 2.01, "fp32 is about twice fp16: " + ratio);
        // the released 3B backbone with its audio expert: billions of weights, i.e. several GB even at int4
        assertTrue(vm.estimates.get(3).diskBytes() > 2_000_000_000L, vm.estimates.get(3).disk());

        // advice: one advised row; on a CPU with nothing measured, int4 when it fits
        assertEquals(1, vm.estimates.stream().filter(ModelsViewModel.EstimateRow::advised).count());
        assertEquals(vm.advised.get(), vm.estimates.stream().filter(ModelsViewModel.EstimateRow::advised).findFirst().orElseThrow().precision());
        if (vm.estimates.get(3).fits()) assertEquals(Precision.INT4, vm.advised.get());
        assertTrue(vm.advice.get().contains("no suitable GPU") && vm.advice.get().contains("not measured"), vm.advice.get());
        assertEquals(vm.advised.get(), vm.precision.get(), "the import precision starts at the advice");
    }

    @Test
    void measuredSpeedFromBenchResultsIsShownAndDrivesTheAdvice() throws IOException {
        new BenchResults(BenchResults.FORMAT_VERSION, List.of(
                new BenchResults.Result("higgs-int8", org.higgsnarrator.pkg.Precision.INT8, org.higgsnarrator.runtime.Device.CPU, 8, 1.3, 32.5, "2026-11-25T05:00:00Z"),
                new BenchResults.Result("higgs-int4", org.higgsnarrator.pkg.Precision.INT4, org.higgsnarrator.runtime.Device.CPU, 8, 2.1, 52.5, "2026-11-25T05:00:00Z")))
                .write(options.benchFile());
        vm.refresh();
        ModelsViewModel.EstimateRow int8 = vm.estimates.get(Precision.INT8.ordinal());
        assertTrue(int8.measured() != null && int8.measured().contains("1.30× real-time"), String.valueOf(int8.measured()));
        assertEquals(null, vm.estimates.get(Precision.FP16.ordinal()).measured());
        long budget = (long) (PrecisionAdvisor.MachineInfo.detect(false).totalRamBytes() * PrecisionAdvisor.RAM_SHARE);
        if (int8.ramBytes() <= budget) {
            // the most precise precision measured at ≥ 1× real-time here
            assertEquals(Precision.INT8, vm.advised.get());
            assertTrue(vm.advice.get().contains("Measured here: 1.30× real-time"), vm.advice.get());
        } else {
            assertEquals(Precision.INT4, vm.advised.get(), "int8 does not fit this machine's RAM: " + vm.advice.get());
        }
    }

    @Test
    void removeRefusesTheBundledPackage() {
        assertTrue(Files.exists(REPO.resolve("onnx-models/tiny/manifest.json")), "bundled model not built");
        vm.refresh();
        ModelStore.Entry b = bundled();
        vm.remove(b);
        assertTrue(vm.statusIsError.get() && vm.status.get().contains("bundled"), vm.status.get());
        assertTrue(Files.exists(b.dir().resolve("manifest.json")));
        assertTrue(vm.packages.contains(b));
    }

    private void chooseKitCheckpoint() {
        Path ckpt = KIT.resolve("tiny/model");
        assertTrue(Files.exists(ckpt.resolve("config.json")), "conformance kit not found at " + KIT);
        vm.codecDir.set(KIT.resolve("tiny/codec-hf"));
        vm.tokenizer.set(KIT.resolve("text-tokenizer/tokenizer.json"));
        vm.chooseCheckpoint(ckpt);
    }

    @Test
    void importsTheKitCheckpointWithProgressVerifiesUsesAndRemovesIt() throws IOException {
        chooseKitCheckpoint();
        assertEquals(List.of(), List.copyOf(vm.blockers));
        assertTrue(vm.estimateBasis.get().contains("model"), "the estimate now describes the checkpoint: " + vm.estimateBasis.get());
        vm.precision.set(Precision.FP32);
        List<Double> progress = new ArrayList<>();
        vm.progress.addListener((o, a, b) -> progress.add(b.doubleValue()));

        vm.importCheckpoint();

        assertFalse(vm.statusIsError.get(), vm.status.get());
        assertTrue(progress.stream().anyMatch(p -> p > 0 && p < 1), "intermediate progress: " + progress);
        assertEquals(1.0, progress.getLast(), "progress ends at 100%: " + progress);
        ModelStore.Entry e = vm.selected.get();
        assertNotNull(e);
        assertEquals(tmp.resolve("models").resolve("model-fp32"), e.dir());
        assertEquals(Precision.FP32, e.precision());
        assertTrue(vm.packages.contains(e), "listed after the import");
        assertEquals(List.of(e.dir()), used, "the new package became the studio's model");
        assertEquals(e.randomWeights(), vm.onlyTestModels.get(), "a package with real weights ends the first-run state");

        vm.verify(e);
        assertTrue(!vm.statusIsError.get() && vm.status.get().contains("intact"), vm.status.get());

        // the planned target now exists: a second import is blocked with the reason
        chooseKitCheckpoint();
        assertTrue(vm.blockers.stream().anyMatch(b -> b.contains("already exists")), vm.blockers.toString());

        vm.remove(e);
        assertFalse(vm.statusIsError.get(), vm.status.get());
        assertFalse(Files.exists(e.dir()));
        assertFalse(vm.packages.contains(e));
    }

    @Test
    void cancelledImportInstallsNothing() throws IOException {
        chooseKitCheckpoint();
        vm.precision.set(Precision.FP32);
        vm.progress.addListener((o, a, b) -> {
            if (b.doubleValue() > 0 && b.doubleValue() < 1) vm.cancel(); // the user presses Cancel mid-conversion
        });
        vm.importCheckpoint();
        assertFalse(Thread.interrupted(), "the cancel's interrupt does not leak out of the task");
        assertTrue(vm.statusIsError.get() && vm.status.get().contains("cancelled"), vm.status.get());
        assertFalse(vm.busy.get());
        try (Stream<Path> s = Files.list(tmp.resolve("models"))) {
            assertEquals(List.of(), s.toList(), "no package and no temporary folder left");
        }
        assertEquals(List.of(), used);
    }

    @Test
    void missingInputsAreNamed() {
        vm.chooseCheckpoint(tmp.resolve("not-a-download"));
        assertTrue(vm.blockers.stream().anyMatch(b -> b.contains("audio tokenizer")), vm.blockers.toString());
        vm.importCheckpoint();
        assertTrue(vm.statusIsError.get() && vm.status.get().startsWith("Cannot import"), vm.status.get());
    }

    /**
     * A Hugging Face compatible hub on 127.0.0.1 serving the kit's checkpoint as the generation model (with the text
     * tokenizer) and its codec as the audio tokenizer: the tree API with LFS sha256s, and {@code /resolve/}.
     */
    private static com.sun.net.httpserver.HttpServer localHub(Map<String, Map<String, Path>> repos) throws IOException {
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = null;
            String commit = "00112233445566778899aabbccddeeff00112233"; // main resolves to it; files are asked for at it
            for (var repo : repos.entrySet()) {
                if (path.equals("/api/models/" + repo.getKey() + "/revision/main")) {
                    body = ("{\"id\":\"" + repo.getKey() + "\",\"sha\":\"" + commit + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                if (path.equals("/api/models/" + repo.getKey() + "/tree/" + commit)) {
                    com.google.gson.JsonArray arr = new com.google.gson.JsonArray();
                    for (var f : repo.getValue().entrySet()) {
                        com.google.gson.JsonObject o = new com.google.gson.JsonObject(), lfs = new com.google.gson.JsonObject();
                        o.addProperty("type", "file");
                        o.addProperty("path", f.getKey());
                        o.addProperty("size", Files.size(f.getValue()));
                        lfs.addProperty("oid", org.higgsnarrator.models.Digests.sha256(f.getValue(), n -> {}));
                        lfs.addProperty("size", Files.size(f.getValue()));
                        o.add("lfs", lfs);
                        arr.add(o);
                    }
                    body = arr.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                for (var f : repo.getValue().entrySet()) {
                    if (path.equals("/" + repo.getKey() + "/resolve/" + commit + "/" + f.getKey())) body = Files.readAllBytes(f.getValue());
                }
            }
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) try (var out = ex.getResponseBody()) {
                out.write(body);
            }
            ex.close();
        });
        server.start();
        return server;
    }

    @Test
    void downloadsFromAHubThenImports() throws IOException {
        Path ckpt = KIT.resolve("tiny/model"), codec = KIT.resolve("tiny/codec-hf");
        assertTrue(Files.exists(ckpt.resolve("config.json")), "conformance kit not found at " + KIT);
        var server = localHub(Map.of(
                "test/higgs-tiny", Map.of("config.json", ckpt.resolve("config.json"), "model.safetensors", ckpt.resolve("model.safetensors"),
                        "tokenizer.json", KIT.resolve("text-tokenizer/tokenizer.json")),
                "test/higgs-tiny-tokenizer", Map.of("config.json", codec.resolve("config.json"), "model.safetensors", codec.resolve("model.safetensors"))));
        try {
            // no token (HF_TOKEN of the environment must not go to a local server), downloads into the temp folder
            options = new ModelsOptions(options.modelsRoot(), options.appHome(), tmp.resolve("downloads"), options.benchFile(),
                    java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, 2, 0,
                    options.stallTimeout(), options.progressInterval(), options.contextTokens());
            vm = new ModelsViewModel(options, PackageConversion::convert, new SynchronousExecutor(), backend, used::add);
            assertEquals(ModelsViewModel.RELEASE_REPO, vm.repo.get(), "prefilled with the release");
            assertEquals(ModelsViewModel.RELEASE_CODEC_REPO, vm.codecRepo.get());
            vm.repo.set("test/higgs-tiny");
            vm.codecRepo.set("test/higgs-tiny-tokenizer");
            vm.download();
            assertFalse(vm.statusIsError.get(), vm.status.get());
            Path got = tmp.resolve("downloads/test__higgs-tiny");
            assertEquals(got, vm.checkpointDir.get());
            assertEquals(tmp.resolve("downloads/test__higgs-tiny-tokenizer"), vm.codecDir.get());
            assertEquals(got.resolve("tokenizer.json"), vm.tokenizer.get(), "the tokenizer shipped with the model is found");
            assertEquals(Files.size(ckpt.resolve("model.safetensors")), Files.size(got.resolve("model.safetensors")));
            assertEquals(List.of(), List.copyOf(vm.blockers));
            vm.importCheckpoint();
            assertFalse(vm.statusIsError.get(), vm.status.get());
            assertEquals(tmp.resolve("models").resolve("test__higgs-tiny-" + vm.precision.get().id()), vm.selected.get().dir());

            vm.repo.set("test/no-such-repo");
            vm.download();
            assertTrue(vm.statusIsError.get() && vm.status.get().contains("test/no-such-repo"), vm.status.get());
        } finally {
            server.stop(0);
        }
    }
}
