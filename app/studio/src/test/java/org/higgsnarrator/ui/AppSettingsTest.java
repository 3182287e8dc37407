package org.higgsnarrator.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.higgsnarrator.runtime.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings carry the engine's Device; files of older versions (upper-case device, a precision field) still load. */
class AppSettingsTest {
    @TempDir
    Path dir;

    @Test
    void olderSettingsLoadAndPrecisionIsNoLongerASetting() throws Exception {
        Path f = dir.resolve("settings.json");
        Files.writeString(f, "{\"modelPackage\": \"/m\", \"device\": \"CUDA\", \"precision\": \"int4\", \"threads\": 3, \"recent\": []}");
        AppSettings s = AppSettings.load(f);
        assertEquals(Device.CUDA, s.device());
        assertEquals(3, s.threads());
        assertEquals(0, s.segmentsAtOnce(), "settings written before the setting existed: as the model proposes");
        s.withModel("/n", Device.CPU, 2, 1).save(f);
        String saved = Files.readString(f);
        assertTrue(saved.contains("\"device\": \"cpu\""), saved);
        assertFalse(saved.contains("precision"), saved);
        assertEquals(Device.CPU, AppSettings.load(f).device());
        assertEquals(1, AppSettings.load(f).segmentsAtOnce(), "one at a time, kept");
    }
}
