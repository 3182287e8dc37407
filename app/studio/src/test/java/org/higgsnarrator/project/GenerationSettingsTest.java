package org.higgsnarrator.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.pkg.PackageManifest.SamplingDefaults;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.ui.vm.SegmentHash;
import org.higgsnarrator.ui.service.RenderRequest.VoiceRef;
import org.junit.jupiter.api.Test;

/** The studio's settings are the engine's options: its rule decides validity, nothing is clamped, greedy is explicit. */
class GenerationSettingsTest {
    @Test
    void theEnginesValidationIsTheOneRule() {
        // values the adapter used to clamp silently (RAS repeats 0 → 1, negative top-k → 0) are refused with the engine's message
        var e = assertThrows(IllegalArgumentException.class, () -> new GenerationSettings(1.0, 50, 0.95, 7, 0, 100, 1));
        assertTrue(e.getMessage().startsWith("generation options: RAS max repeats"), e.getMessage());
        var k = assertThrows(IllegalArgumentException.class, () -> new GenerationSettings(1.0, -1, 0.95, 7, 2, 100, 1));
        assertTrue(k.getMessage().startsWith("generation options: top-k"), k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GenerationSettings(-0.5, 50, 0.95, 7, 2, 100, 1));
        GenerationSettings s = new GenerationSettings(0.3, 0, 1.0, 0, 3, 100, 9);
        GenerationOptions o = s.toOptions(11);
        assertEquals(new GenerationOptions(false, 0.3, 0, 1.0, 0, 3, 11, 100, GenerationOptions.DEFAULT_CHUNK_BUFFER_SIZE,
                GenerationOptions.DEFAULT_CHUNK_MAX_WORDS), o, "passed through unchanged");
    }

    @Test
    void greedyIsExplicitAndOlderProjectsTemperatureZeroStillMeansIt() throws Exception {
        GenerationSettings old = new GenerationSettings(0.0, 50, 0.95, 7, 2, 100, 1); // how older project files said greedy
        assertTrue(old.greedy());
        assertEquals(SamplingDefaults.release().temperature(), old.temperature());
        assertTrue(old.toOptions(1).greedy());
        assertEquals(old, new GenerationSettings(1.0, 50, 0.95, 7, 2, 100, 1, true));
        // their takes stay current: greedy hashes as temperature 0 did
        String hash = SegmentHash.of("Hi.", new VoiceRef.ModelChoice(), "", old, "m");
        assertEquals(hash, SegmentHash.of("Hi.", new VoiceRef.ModelChoice(), "", new GenerationSettings(1.0, 50, 0.95, 7, 2, 100, 1, true), "m"));
        // a project file with temperature 0 loads as greedy
        var loaded = ProjectStore.GSON.fromJson("{\"temperature\": 0.0, \"topK\": 50, \"topP\": 0.95, \"rasWindow\": 7, \"rasMaxRepeats\": 2,"
                + " \"maxFrames\": 100, \"seed\": 1}", GenerationSettings.class);
        assertTrue(loaded.greedy());
    }

    @Test
    void defaultsAreAPackagesSamplingDefaults() {
        SamplingDefaults d = new SamplingDefaults(0.7, 20, 0.9, 5, 3, 500);
        GenerationSettings s = GenerationSettings.of(d);
        assertEquals(GenerationOptions.of(d).withSeed(s.seed()), s.toOptions(s.seed()));
        assertEquals(GenerationSettings.of(SamplingDefaults.release()), GenerationSettings.defaults());
    }
}
