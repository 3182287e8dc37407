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

    /**
     * Boson's model builds the audio MLP from text_config and ignores audio_ffn_* (modeling_higgs_audio.py L406, L417);
     * architecture switches it honours are read and refused when on (configuration_higgs_audio.py L124-135).
     */
    @Test
    void audioExpertFromTextConfigAndArchitectureSwitchesRead(@TempDir Path dir) throws IOException {
        com.google.gson.JsonObject cfg = com.google.gson.JsonParser.parseString(Files.readString(KIT.resolve("tiny/model/config.json"))).getAsJsonObject();
        int textIntermediate = cfg.getAsJsonObject("text_config").get("intermediate_size").getAsInt();
        cfg.addProperty("audio_ffn_intermediate_size", textIntermediate * 3);
        cfg.addProperty("audio_ffn_hidden_size", 4096);
        Path f = Files.writeString(dir.resolve("config.json"), cfg.toString());
        ModelConfig c = CheckpointConfigReader.read(f, SPECIALS).config();
        assertEquals(textIntermediate, c.audioFfnIntermediateSize(), "audio_ffn_intermediate_size is not what the release builds");
        assertEquals(c.hiddenSize(), c.audioFfnHiddenSize());

        for (String flag : java.util.List.of("audio_embed_avg", "use_audio_out_embed_projector", "use_audio_out_self_attention", "use_rq_transformer")) {
            com.google.gson.JsonObject on = cfg.deepCopy();
            on.addProperty(flag, true);
            Path g = Files.writeString(dir.resolve(flag + ".json"), on.toString());
            var e = assertThrows(CheckpointFormatException.class, () -> CheckpointConfigReader.read(g, SPECIALS));
            assertTrue(e.getMessage().contains(flag), e.getMessage());
        }
        com.google.gson.JsonObject proj = cfg.deepCopy();
        proj.addProperty("audio_decoder_proj_num_layers", 2);
        Path h = Files.writeString(dir.resolve("proj.json"), proj.toString());
        var e = assertThrows(CheckpointFormatException.class, () -> CheckpointConfigReader.read(h, SPECIALS));
        assertTrue(e.getMessage().contains("audio_decoder_proj_num_layers is 2"), e.getMessage());
    }
}
