package org.higgsnarrator.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer and prompt case groups on the tiny kit: every case the kit holds must pass. */
class TextConformanceTest {
    static Path kitRoot() {
        String p = System.getProperty("narrator.kit.root");
        assertTrue(p != null, "narrator.kit.root is not set (surefire sets it to ../shared/conformance)");
        return Path.of(p);
    }

    static Kit tinyKit() {
        return Kit.open(kitRoot().resolve("tiny"), kitRoot().resolve("text-tokenizer/tokenizer.json"));
    }

    @Test
    void tokenizerCasesPass(@TempDir Path work) {
        try (Kit kit = tinyKit()) {
            List<CaseResult> rs = new TokenizerCases().run(kit, ConformanceOptions.defaults(work));
            assertEquals(kit.cases().getAsJsonArray("text_tokenizer").size(), rs.size());
            for (CaseResult r : rs) assertTrue(r.passed(), r.line());
        }
    }

    @Test
    void promptCasesPass(@TempDir Path work) {
        try (Kit kit = tinyKit()) {
            List<CaseResult> rs = new PromptCases().run(kit, ConformanceOptions.defaults(work));
            assertEquals(2 * kit.promptNames().size(), rs.size());
            for (CaseResult r : rs) assertTrue(r.passed(), r.line());
            for (String p : kit.promptNames()) {
                assertTrue(rs.stream().anyMatch(r -> r.name().equals("prompt." + p + ".input_ids")));
                assertTrue(rs.stream().anyMatch(r -> r.name().equals("prompt." + p + ".audio_input_ids")));
            }
            // Prompts with reference clips take their codes from the kit's codec, encoded here.
            for (CaseResult r : rs) {
                String p = r.name().split("\\.")[1];
                if (kit.tensors().contains("prompt." + p + ".audio0")) assertTrue(r.detail().contains("(codes from the codec)"), r.line());
            }
        }
    }

    @Test
    void promptCasesFallBackToGoldenCodesWithoutACodec(@TempDir Path work) throws Exception {
        // A work "folder" that is a file: the codec cannot be exported, the clips' codes come from the goldens.
        Path notADir = Files.writeString(work.resolve("file"), "x");
        try (Kit kit = tinyKit()) {
            List<CaseResult> rs = new PromptCases().run(kit, ConformanceOptions.defaults(notADir));
            for (CaseResult r : rs) assertTrue(r.passed(), r.line());
            assertTrue(rs.stream().anyMatch(r -> r.detail().contains("(codes from golden tensors; codec unavailable")), rs.toString());
        }
    }

    @Test
    void withoutTokenizerEveryCaseFailsWithAHint(@TempDir Path work) throws Exception {
        // A kit folder without a tokenizer anywhere near it: copy only the golden files.
        Path kitDir = Files.createDirectories(work.resolve("kit/golden"));
        Files.copy(kitRoot().resolve("tiny/golden/cases.json"), kitDir.resolve("cases.json"));
        try (Kit kit = Kit.open(work.resolve("kit"), null)) {
            List<CaseResult> rs = new TokenizerCases().run(kit, ConformanceOptions.defaults(work));
            assertFalse(rs.isEmpty());
            for (CaseResult r : rs) {
                assertFalse(r.passed());
                assertTrue(r.detail().contains("--tokenizer"), r.line());
            }
        }
    }

    @Test
    void aBrokenTokenizerFailsEveryCaseWithTheFileNamed(@TempDir Path work) throws Exception {
        Path bad = Files.writeString(work.resolve("tokenizer.json"), "not json");
        try (Kit kit = Kit.open(kitRoot().resolve("tiny"), bad)) {
            List<CaseResult> rs = new ArrayList<>(new TokenizerCases().run(kit, ConformanceOptions.defaults(work)));
            rs.addAll(new PromptCases().run(kit, ConformanceOptions.defaults(work)));
            assertEquals(kit.cases().getAsJsonArray("text_tokenizer").size() + 2 * kit.promptNames().size(), rs.size());
            for (CaseResult r : rs) {
                assertFalse(r.passed());
                assertTrue(r.detail().contains(bad.toString()), r.line());
            }
        }
    }
}
