package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ./narrator bench paired: packages timed side by side in one process, on the bundled package (real ORT sessions; {@link AudioCommandsTest#narrator}). */
class BenchPairedTest {
    static final Path TINY = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");

    @Test
    void pairedPrintsEachPackageAtEachContextWithItsRounds() throws Exception {
        AudioCommandsTest.Run r = AudioCommandsTest.narrator("bench", "paired", "--packages", TINY + "," + TINY, "--contexts", "40,60", "--rounds", "3", "--steps", "2", "--short", "20",
                "--device", "cpu");
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> rows = r.out().lines().filter(l -> l.contains("rounds:")).toList();
        assertEquals(4, rows.size(), "two packages × two contexts:\n" + r.out());
        for (String row : rows) {
            String[] rounds = row.substring(row.indexOf("rounds:") + 7).trim().split(" ");
            assertEquals(3, rounds.length, row);
            for (String v : rounds) assertTrue(Double.parseDouble(v) > 0, row);
        }
        assertTrue(rows.get(0).contains(" 40 ") && rows.get(0).contains("1.000"), "the first package is the baseline: " + rows.get(0));
        assertTrue(rows.get(2).contains(" 60 "), rows.get(2));
    }

    @Test
    void pairedNeedsTwoPackagesAndContextsNoShorterThanThePrefill() throws Exception {
        AudioCommandsTest.Run one = AudioCommandsTest.narrator("bench", "paired", "--packages", TINY.toString());
        assertNotEquals(0, one.code());
        assertTrue((one.out() + one.err()).contains("two or more model package folders"), one.out() + one.err());
        AudioCommandsTest.Run shortCtx = AudioCommandsTest.narrator("bench", "paired", "--packages", TINY + "," + TINY, "--contexts", "10", "--short", "20", "--rounds", "1", "--steps", "1",
                "--device", "cpu");
        assertNotEquals(0, shortCtx.code());
        assertTrue((shortCtx.out() + shortCtx.err()).contains("context 10 is shorter than the 20-token prefill"), shortCtx.out() + shortCtx.err());
    }
}
