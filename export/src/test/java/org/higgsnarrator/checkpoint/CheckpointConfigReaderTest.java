package org.higgsnarrator.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.higgsnarrator.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointConfigReaderTest {
    static final Path KIT = Path.of(System.getProperty("narrator.kit.root", "../../shared/conformance"));
    static final Map<String, Integer> SPECIALS = TokenizerSpecials.read(KIT.resolve("text-tokenizer/tokenizer.json"));

    @Test
    void bothLayoutsOfTheKitGiveTheSameConfig() {
        var official = CheckpointConfigReader.read(KIT.resolve("tiny/model/config.json"), SPECIALS);
        var hf = CheckpointConfigReader.read(KIT.resolve("tiny/model-hf/config.json"), SPECIALS);
        assertEquals(CheckpointConfigReader.Layout.OFFICIAL, official.layout());
        assertEquals(CheckpointConfigReader.Layout.TRANSFORMERS, hf.layout());
        assertEquals(official.config(), hf.config());
        ModelConfig c = official.config();
        assertEquals(128016, c.tokens().audioOut());
        assertEquals(128014, c.tokens().audioDelay());
        assertEquals(128013, c.tokens().audioOutBos());
        assertEquals(128009, c.tokens().eot());
        assertEquals(c.codebookSize() + 2, c.codebookEntries());
        assertEquals("llama3", c.rope().type());
    }

    @Test
    void unknownModelTypeSaysWhatToPointAt(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"llama\",\"hidden_size\":8}");
        var e = assertThrows(CheckpointFormatException.class, () -> CheckpointConfigReader.read(f, SPECIALS));
        assertTrue(e.getMessage().contains("model_type is 'llama'") && e.getMessage().contains("higgs_audio"), e.getMessage());
    }

    @Test
    void missingFieldIsNamed(@TempDir Path dir) throws IOException {
        String cfg = Files.readString(KIT.resolve("tiny/model-hf/config.json")).replace("\"num_hidden_layers\"", "\"num_hidden_layerz\"");
        Path f = Files.writeString(dir.resolve("config.json"), cfg);
        var e = assertThrows(CheckpointFormatException.class, () -> CheckpointConfigReader.read(f, SPECIALS));
        assertTrue(e.getMessage().contains("missing field 'num_hidden_layers'"), e.getMessage());
    }

    @Test
    void tokenizerThatDisagreesWithTheConfigIsRejected() {
        var wrong = new java.util.HashMap<>(SPECIALS);
        wrong.put("<|AUDIO_OUT|>", 5);
        var e = assertThrows(CheckpointFormatException.class,
                () -> CheckpointConfigReader.read(KIT.resolve("tiny/model/config.json"), wrong));
        assertTrue(e.getMessage().contains("does not belong to this checkpoint"), e.getMessage());
    }
}
