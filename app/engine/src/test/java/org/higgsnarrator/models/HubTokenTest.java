package org.higgsnarrator.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub token is found where huggingface_hub looks (its constants.py / utils/_auth.py): HF_TOKEN, the legacy
 * HUGGING_FACE_HUB_TOKEN, then the token file of {@code huggingface-cli login} (HF_TOKEN_PATH, else $HF_HOME/token,
 * else ~/.cache/huggingface/token).
 */
class HubTokenTest {
    @TempDir
    Path home;

    @Test
    void environmentFirstThenTheLoginTokenFile() throws Exception {
        assertNull(ModelsOptions.hubToken(Map.of(), home), "nothing set, no file");
        Path loginFile = Files.createDirectories(home.resolve(".cache/huggingface")).resolve("token");
        Files.writeString(loginFile, "hf_file\n");
        assertEquals("hf_file", ModelsOptions.hubToken(Map.of(), home), "huggingface-cli login's file");
        assertEquals("hf_legacy", ModelsOptions.hubToken(Map.of("HUGGING_FACE_HUB_TOKEN", " hf_legacy "), home));
        assertEquals("hf_env", ModelsOptions.hubToken(Map.of("HF_TOKEN", "hf_env", "HUGGING_FACE_HUB_TOKEN", "hf_legacy"), home));

        Path hfHome = Files.createDirectories(home.resolve("hfhome"));
        Files.writeString(hfHome.resolve("token"), "hf_home_token");
        assertEquals("hf_home_token", ModelsOptions.hubToken(Map.of("HF_HOME", hfHome.toString()), home));
        Path explicit = Files.writeString(home.resolve("my-token"), "hf_path_token");
        assertEquals("hf_path_token", ModelsOptions.hubToken(Map.of("HF_HOME", hfHome.toString(), "HF_TOKEN_PATH", explicit.toString()), home));
        assertNull(ModelsOptions.hubToken(Map.of("HF_TOKEN_PATH", home.resolve("missing").toString()), home), "a named but missing file: no token");
    }
}
