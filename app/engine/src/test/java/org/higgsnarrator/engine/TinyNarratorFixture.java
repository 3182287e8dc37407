package org.higgsnarrator.engine;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that share one {@link Narrator} on the bundled tiny package (real ORT sessions, real codec), loaded once per class. */
abstract class TinyNarratorFixture {
    static final Path TINY = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");
    static Narrator narrator;

    @BeforeAll
    static void loadTinyNarrator() {
        narrator = NarratorLoader.load(TINY, org.higgsnarrator.runtime.Device.CPU);
    }

    @AfterAll
    static void closeTinyNarrator() {
        narrator.close();
    }
}
