package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./narrator export writing to a log (stderr not a terminal): progress lines, no carriage returns. */
class ExportCommandTest {
    static final Path KIT = Path.of(System.getProperty("narrator.kit.root", "../../shared/conformance"));

    @Test
    void progressInALogHasNoCarriageReturns(@TempDir Path tmp) throws Exception {
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            rc = Main.run(new String[] {"export", "--checkpoint", KIT.resolve("tiny/model").toString(), "--tokenizer",
                    KIT.resolve("text-tokenizer/tokenizer.json").toString(), "--out", tmp.resolve("pkg").toString()});
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, log);
        assertTrue(Files.isRegularFile(tmp.resolve("pkg/manifest.json")));
        assertTrue(!log.contains("\r"), "carriage return in a log: " + log.replace("\r", "<CR>"));
        assertTrue(!log.isBlank(), "some progress is logged");
    }
}
