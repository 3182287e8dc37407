package org.higgsnarrator.export;

import org.higgsnarrator.pkg.Precision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.pkg.PackageManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled package ({@code onnx-models/tiny}) must be exactly what this converter makes of the kit, so the app and
 * the tests never run on graphs an older converter wrote. Regenerate it with the command in docs/model-package.md.
 */
class BundledPackageTest {
    static final Path BUNDLED = Path.of(System.getProperty("narrator.repo.root", "..")).resolve("onnx-models/tiny");

    @Test
    void bundledTinyPackageEqualsAFreshExportOfTheKit(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("tiny");
        ExportOptions opt = ExportOptions.defaults().withPrecision(Precision.FP32).withMaxContext(4096)
                .withName("tiny (random weights)", true);
        Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, out, opt,
                List.of(Exporter.codecPart(KitFixture.TINY.resolve("codec-hf"), opt)), Exporter.Progress.SILENT);
        PackageManifest fresh = PackageManifest.GSON.fromJson(Files.readString(out.resolve(PackageManifest.FILE_NAME)), PackageManifest.class);
        PackageManifest bundled = PackageManifest.GSON.fromJson(Files.readString(BUNDLED.resolve(PackageManifest.FILE_NAME)), PackageManifest.class);
        assertTrue(bundled.randomWeights(), "the bundled package must say it has random weights");
        assertEquals(fresh.files(), bundled.files(),
                "onnx-models/tiny is stale: re-export it (docs/model-package.md, 'The bundled package')");
        for (var f : bundled.files().keySet()) {
            assertEquals(bundled.files().get(f).size(), Files.size(BUNDLED.resolve(f)), f + " in onnx-models/tiny does not match its manifest");
        }
    }
}
