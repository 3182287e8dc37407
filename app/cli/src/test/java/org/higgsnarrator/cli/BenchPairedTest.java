package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ./narrator bench paired: packages timed side by side in one process, on the bundled package (real ORT sessions). */
class BenchPairedTest {
    static final Path TINY = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");

    record Run(int rc, String out, String err) {}

    private static Run run(String... args) throws Exception {
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int rc = Main.run(args);
            return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    @Test
    void pairedPrintsEachPackageAtEachContextWithItsRounds() throws Exception {
        Run r = run("bench", "paired", "--packages", TINY + "," + TINY, "--contexts", "40,60", "--rounds", "3", "--steps", "2", "--short", "20",
                "--device", "cpu");
        assertEquals(0, r.rc(), r.out() + r.err());
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
        Run one = run("bench", "paired", "--packages", TINY.toString());
        assertNotEquals(0, one.rc());
        assertTrue((one.out() + one.err()).contains("two or more model package folders"), one.out() + one.err());
        Run shortCtx = run("bench", "paired", "--packages", TINY + "," + TINY, "--contexts", "10", "--short", "20", "--rounds", "1", "--steps", "1",
                "--device", "cpu");
        assertNotEquals(0, shortCtx.rc());
        assertTrue((shortCtx.out() + shortCtx.err()).contains("context 10 is shorter than the 20-token prefill"), shortCtx.out() + shortCtx.err());
    }
}
