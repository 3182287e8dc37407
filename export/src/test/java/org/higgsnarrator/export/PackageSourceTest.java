package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's source names the hub repository and commit a downloaded checkpoint and audio tokenizer came from. */
class PackageSourceTest {
    @TempDir
    Path tmp;

    @Test
    void downloadedFoldersAreRecordedAsRepoAtCommit() throws Exception {
        Path ckpt = Files.createDirectories(tmp.resolve("bosonai__higgs-audio-v2-generation-3B-base"));
        Files.writeString(ckpt.resolve(".narrator-source.json"),
                "{\"repo\":\"bosonai/higgs-audio-v2-generation-3B-base\",\"revision\":\"main\",\"commit\":\"0123456789abcdef0123456789abcdef01234567\"}");
        Path codec = Path.of(System.getProperty("narrator.kit.root", "../shared/conformance")).resolve("tiny/codec-hf");
        Path codecCopy = Files.createDirectories(tmp.resolve("tok"));
        for (String f : List.of("config.json", "model.safetensors")) Files.copy(codec.resolve(f), codecCopy.resolve(f));
        Files.writeString(codecCopy.resolve(".narrator-source.json"),
                "{\"repo\":\"bosonai/higgs-audio-v2-tokenizer\",\"revision\":\"main\",\"commit\":\"fedcba9876543210fedcba9876543210fedcba98\"}");
        assertEquals("bosonai/higgs-audio-v2-generation-3B-base@0123456789abcdef0123456789abcdef01234567 (official layout);"
                        + " audio tokenizer bosonai/higgs-audio-v2-tokenizer@fedcba9876543210fedcba9876543210fedcba98",
                Exporter.source(ckpt, CheckpointConfigReader.Layout.OFFICIAL, List.of(Exporter.codecPart(codecCopy, ExportOptions.defaults()))));
        Path local = Files.createDirectories(tmp.resolve("my-checkpoint"));
        assertEquals("my-checkpoint (transformers layout)", Exporter.source(local, CheckpointConfigReader.Layout.TRANSFORMERS, List.of()));
    }
}
