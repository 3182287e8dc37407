package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.higgsnarrator.config.CodecConfig;
import org.higgsnarrator.pkg.PackageManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken inputs fail with a message naming what to fix, and never leave a half-written package behind. */
class ExportErrorsTest {
    @TempDir
    Path tmp;

    private Path outParent() throws IOException {
        return Files.createDirectories(tmp.resolve("out"));
    }

    private RuntimeException exportFails(Path ckpt) throws IOException {
        Path parent = outParent();
        RuntimeException e = assertThrows(RuntimeException.class, () ->
                Exporter.export(ckpt, KitFixture.TOKENIZER, parent.resolve("pkg"), ExportOptions.defaults(), List.of(), Exporter.Progress.SILENT));
        try (var s = Files.list(parent)) {
            assertEquals(List.of(), s.toList(), "a failed export must leave nothing in the output folder");
        }
        return e;
    }

    @Test
    void unknownModelType() throws IOException {
        Path ckpt = Checkpoints.write(tmp.resolve("ck"), KitFixture.OFFICIAL, Function.identity(), 1);
        Files.writeString(ckpt.resolve("config.json"), Files.readString(ckpt.resolve("config.json")).replace("\"higgs_audio\"", "\"llama\""));
        String m = exportFails(ckpt).getMessage();
        assertTrue(m.contains("model_type is 'llama'") && m.contains("higgs_audio"), m);
    }

    @Test
    void missingTensor() throws IOException {
        Path ckpt = Checkpoints.write(tmp.resolve("ck"), KitFixture.OFFICIAL, n -> n.equals("layers.1.mlp.up_proj.weight") ? null : n, 1);
        String m = exportFails(ckpt).getMessage();
        assertTrue(m.contains("no tensor named 'layers.1.mlp.up_proj.weight'"), m);
    }

    @Test
    void shapeMismatch() throws IOException {
        Path ckpt = Checkpoints.write(tmp.resolve("ck"), KitFixture.OFFICIAL, Function.identity(), 1);
        // claim a wider FFN than the tensors have (text_config's: Boson sizes both MLPs from it, modeling_higgs_audio.py L406/L417)
        String cfg = Files.readString(ckpt.resolve("config.json"));
        assertTrue(cfg.contains("\"intermediate_size\": 64"), cfg);
        Files.writeString(ckpt.resolve("config.json"), cfg.replace("\"intermediate_size\": 64", "\"intermediate_size\": 96"));
        String m = exportFails(ckpt).getMessage();
        assertTrue(m.contains("mlp") && m.contains("shape") && m.contains("[96, 32]"), m);
    }

    @Test
    void truncatedShard() throws IOException {
        Path ckpt = Checkpoints.write(tmp.resolve("ck"), KitFixture.OFFICIAL, Function.identity(), 2);
        Path shard = ckpt.resolve("model-00002-of-00002.safetensors");
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1000);
        }
        String m = exportFails(ckpt).getMessage();
        assertTrue(m.contains("model-00002-of-00002.safetensors") && m.contains("truncated"), m);
    }

    @Test
    void missingShard() throws IOException {
        Path ckpt = Checkpoints.write(tmp.resolve("ck"), KitFixture.OFFICIAL, Function.identity(), 2);
        Files.delete(ckpt.resolve("model-00001-of-00002.safetensors"));
        String m = exportFails(ckpt).getMessage();
        assertTrue(m.contains("model-00001-of-00002.safetensors") && m.contains("does not exist"), m);
    }

    @Test
    void outputNotWritable() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        var e = assertThrows(ExportException.class, () ->
                Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, file.resolve("pkg"), ExportOptions.defaults(), List.of(), Exporter.Progress.SILENT));
        assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        // root ignores permission bits, so use a folder the kernel refuses to create entries in
        Path proc = Path.of("/proc/self/narrator-out");
        var e2 = assertThrows(ExportException.class, () ->
                Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, proc, ExportOptions.defaults(), List.of(), Exporter.Progress.SILENT));
        assertTrue(e2.getMessage().contains("writable"), e2.getMessage());
        assertTrue(ro.toFile().setWritable(false, false));
        if (!System.getProperty("user.name").equals("root")) {
            var e3 = assertThrows(ExportException.class, () ->
                    Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, ro.resolve("pkg"), ExportOptions.defaults(), List.of(), Exporter.Progress.SILENT));
            assertTrue(e3.getMessage().contains("not writable"), e3.getMessage());
        }
    }

    @Test
    void existingNonEmptyOutputNeedsOverwrite() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("pkg"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        var e = assertThrows(ExportException.class, () ->
                Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, out, ExportOptions.defaults(), List.of(), Exporter.Progress.SILENT));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertTrue(Files.exists(out.resolve("keep.txt")));
    }

    @Test
    void failureLateInTheExportLeavesNothing() throws IOException {
        Path parent = outParent();
        Exporter.PackagePart failing = new Exporter.PackagePart() {
            @Override
            public Map<String, PackageManifest.GraphSpec> write(Path dir, Exporter.Progress progress) {
                throw new ExportException("codec conversion failed (test)");
            }

            @Override
            public CodecConfig codecConfig() {
                return null;
            }
        };
        assertThrows(ExportException.class, () -> Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, parent.resolve("pkg"),
                ExportOptions.defaults().withMaxContext(64), List.of(failing), Exporter.Progress.SILENT));
        try (var s = Files.list(parent)) {
            assertEquals(List.of(), s.toList());
        }
        assertFalse(Files.exists(parent.resolve("pkg")));
    }
}
