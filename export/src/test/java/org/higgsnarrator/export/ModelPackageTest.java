package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.pkg.ModelPackage.PackageException;
import org.higgsnarrator.pkg.PackageManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ModelPackage.open accepts what the exporter writes and refuses damaged or foreign packages with a clear message. */
class ModelPackageTest {
    @TempDir
    static Path tmp;
    static Path pkg;

    @BeforeAll
    static void export() {
        pkg = tmp.resolve("pkg");
        Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withMaxContext(256).withName("tiny", true),
                List.of(), Exporter.Progress.SILENT);
    }

    private Path copy(String name) throws Exception {
        Path dst = Files.createDirectories(tmp.resolve(name));
        try (var s = Files.list(pkg)) {
            for (Path f : s.toList()) Files.copy(f, dst.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return dst;
    }

    @Test
    void manifestDescribesThePackage() {
        ModelPackage p = ModelPackage.open(pkg, true);
        PackageManifest m = p.manifest();
        assertEquals("tiny", m.name());
        assertTrue(m.randomWeights());
        assertEquals(org.higgsnarrator.pkg.Precision.FP32, m.precision());
        assertEquals(256, m.maxContext());
        assertEquals(128016, m.model().tokens().audioOut());
        assertEquals(List.of(Exporter.WEIGHTS_FILE), m.graphs().get("prefill").externalData());
        assertEquals(m.graphs().get("prefill").externalData(), m.graphs().get("decode_step").externalData());
        assertTrue(m.graphs().get("decode_step").inputs().stream().noneMatch(t -> t.name().equals("input_ids")));
        assertEquals(List.of("decode_step.onnx", "manifest.json", "model.weights", "prefill.onnx", "tokenizer.json"),
                Files.exists(pkg.resolve("manifest.json")) ? sorted(pkg) : List.of());
        assertEquals(4, m.files().size()); // every file but the manifest
        assertEquals(org.higgsnarrator.pkg.ElementType.FLOAT32, p.kvType());
    }

    private static List<String> sorted(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void truncatedWeightsAreRefused() throws Exception {
        Path d = copy("trunc");
        try (FileChannel ch = FileChannel.open(d.resolve(Exporter.WEIGHTS_FILE), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1);
        }
        var e = assertThrows(PackageException.class, () -> ModelPackage.open(d, false));
        assertTrue(e.getMessage().contains("model.weights") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void corruptedBytesFailOnlyWithVerification() throws Exception {
        Path d = copy("corrupt");
        try (FileChannel ch = FileChannel.open(d.resolve(Exporter.WEIGHTS_FILE), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {42}), 100);
        }
        ModelPackage.open(d, false);
        var e = assertThrows(PackageException.class, () -> ModelPackage.open(d, true));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void missingManifestAndNewerFormatAreRefused() throws Exception {
        Path d = copy("nomanifest");
        Files.delete(d.resolve("manifest.json"));
        var e = assertThrows(PackageException.class, () -> ModelPackage.open(d, false));
        assertTrue(e.getMessage().contains("manifest.json is missing"), e.getMessage());
        Path n = copy("newer");
        Files.writeString(n.resolve("manifest.json"), Files.readString(n.resolve("manifest.json")).replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
        var e2 = assertThrows(PackageException.class, () -> ModelPackage.open(n, false));
        assertTrue(e2.getMessage().contains("newer"), e2.getMessage());
    }

    /** The graphs declare exactly the I/O table the manifest carries (names, element types, fixed dims), in its order. */
    @Test
    void graphsDeclareTheIoTable() throws Exception {
        PackageManifest m = ModelPackage.open(pkg, false).manifest();
        var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        for (org.higgsnarrator.pkg.GraphIo.Role role : List.of(org.higgsnarrator.pkg.GraphIo.Role.PREFILL, org.higgsnarrator.pkg.GraphIo.Role.DECODE_STEP)) {
            PackageManifest.GraphSpec spec = m.graphs().get(role.id());
            assertEquals(org.higgsnarrator.pkg.GraphIo.generation(role, m.model(), org.higgsnarrator.pkg.ElementType.FLOAT32).inputs(), spec.inputs());
            try (var s = env.createSession(pkg.resolve(spec.file()).toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
                assertEquals(spec.inputs().stream().map(PackageManifest.TensorSpec::name).toList(), List.copyOf(s.getInputInfo().keySet()));
                assertEquals(spec.outputs().stream().map(PackageManifest.TensorSpec::name).toList(), List.copyOf(s.getOutputInfo().keySet()));
                for (PackageManifest.TensorSpec t : spec.inputs()) {
                    var info = (ai.onnxruntime.TensorInfo) s.getInputInfo().get(t.name()).getInfo();
                    assertEquals(t.shape().size(), info.getShape().length, t.name());
                    assertEquals(t.dtype() == org.higgsnarrator.pkg.ElementType.INT64 ? ai.onnxruntime.OnnxJavaType.INT64
                            : t.dtype() == org.higgsnarrator.pkg.ElementType.INT32 ? ai.onnxruntime.OnnxJavaType.INT32
                            : ai.onnxruntime.OnnxJavaType.FLOAT, info.type, t.name());
                    for (int d = 0; d < t.shape().size(); d++) {
                        if (t.shape().get(d).chars().allMatch(Character::isDigit)) assertEquals(Long.parseLong(t.shape().get(d)), info.getShape()[d], t.name());
                    }
                }
            }
        }
    }
}
