package org.higgsnarrator.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.higgsnarrator.pkg.ModelPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error messages name the file and the problem in plain words, without gson's or ONNX Runtime's internals. */
class PlainMessagesTest {
    static void plain(String m) {
        for (String internal : new String[] {"Exception", "path $", "BEGIN_OBJECT", "Error code -", "ORT_", "ONNXRuntimeError", ".cc:", "com.google", "ai.onnxruntime"})
            assertTrue(!m.contains(internal), "leaks '" + internal + "': " + m);
    }

    @Test
    void damagedManifestIsDescribedPlainly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\"name\": \"x\", ");
        var e = assertThrows(RuntimeException.class, () -> ModelPackage.open(dir, false));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("ends too early"), e.getMessage());
        plain(e.getMessage());
        Files.writeString(dir.resolve("manifest.json"), "[1, 2]");
        e = assertThrows(RuntimeException.class, () -> ModelPackage.open(dir, false));
        System.out.println(e.getMessage());
        plain(e.getMessage());
    }

    @Test
    void aFileThatIsNotAGraphIsDescribedPlainly(@TempDir Path dir) throws Exception {
        Path graph = Files.writeString(dir.resolve("prefill.onnx"), "this is not a graph");
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults());
        var e = assertThrows(IllegalStateException.class, () -> rt.open(graph));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("prefill.onnx") && e.getMessage().contains("not a valid ONNX graph"), e.getMessage());
        plain(e.getMessage());
    }
}
