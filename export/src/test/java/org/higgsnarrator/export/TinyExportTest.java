package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.higgsnarrator.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny kit model exported to fp32 reproduces the reference's last-4 logits of every golden prompt. */
class TinyExportTest {
    @TempDir
    static Path tmp;
    static Path pkgDir;

    @BeforeAll
    static void export() {
        pkgDir = tmp.resolve("tiny-fp32");
        Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, pkgDir, ExportOptions.defaults().withMaxContext(4096), List.of(), Exporter.Progress.SILENT);
    }

    @Test
    void last4LogitsMatchGolden() {
        ModelPackage pkg = ModelPackage.open(pkgDir, true);
        try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
             OrtAudioLanguageModel m = new OrtAudioLanguageModel(pkg, rt);
             SafeTensorsFile g = KitFixture.golden()) {
            for (String p : List.of("plain", "clone", "dialogue")) {
                long[] ids = KitFixture.inputIds(p);
                try (var st = m.newState(ids.length + 8)) {
                    float[][] got = m.prefill(st, ids, KitFixture.audioFrames(g, p), 4);
                    float[] want = g.floats("prompt." + p + ".last4_logits");
                    double max = 0;
                    int w = got[0].length;
                    for (int r = 0; r < 4; r++) for (int i = 0; i < w; i++) max = Math.max(max, Math.abs(got[r][i] - want[r * w + i]));
                    System.out.println(p + " max |Δ| = " + max);
                    assertTrue(max <= 1e-3, p + ": max |Δ| " + max);
                    assertEquals(ids.length, st.position());
                }
            }
        }
    }
}
