package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.higgsnarrator.models.ModelStore;
import org.higgsnarrator.models.ModelsOptions;
import org.higgsnarrator.pkg.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one installation service: plans from a real checkpoint, installs with the real converter, cancels cleanly. */
class ModelInstallerTest {
    @TempDir
    Path tmp;

    private ModelStore.ImportRequest request(String name) {
        return new ModelStore.ImportRequest(KitFixture.OFFICIAL, KitFixture.TINY.resolve("codec-hf"), KitFixture.TOKENIZER, Precision.FP32, name);
    }

    @Test
    void plansInstallsAndCancels() throws Exception {
        ModelInstaller installer = new ModelInstaller(ModelsOptions.defaults().withModelsRoot(tmp.resolve("models")));
        ModelStore.ImportPlan plan = installer.plan(request("tiny-fp32"));
        assertTrue(plan.blockers().isEmpty(), plan.blockers().toString());
        assertEquals(Precision.values().length, plan.estimates().size());
        assertTrue(ModelInstaller.codecParameters(KitFixture.TINY.resolve("codec-hf")) > 0, "from the safetensors headers");

        // cancelled at the first progress report: nothing is installed, no temporary folder stays
        AtomicReference<String> stage = new AtomicReference<>();
        assertThrows(CancellationException.class, () -> installer.install(installer.plan(request("cancelled")), (s, d, t) -> {
            stage.compareAndSet(null, s);
            installer.cancel();
        }));
        assertTrue(stage.get() != null);
        try (var s = Files.list(tmp.resolve("models"))) {
            assertEquals(List.of(), s.toList(), "nothing left after a cancel");
        }

        ModelStore.Entry e = installer.install(plan, (s, d, t) -> {});
        assertEquals("tiny-fp32", e.id());
        assertEquals(Precision.FP32, e.precision());
        assertTrue(ModelStore.verify(e.dir(), (s, d, t) -> {}).ok());
    }

    @Test
    void pthCodecParametersAreItsFloat32Count() throws Exception {
        Path codec = Files.createDirectories(tmp.resolve("codec"));
        Files.write(codec.resolve("model.pth"), new byte[4000]);
        assertEquals(1000, ModelInstaller.codecParameters(codec));
    }
}
