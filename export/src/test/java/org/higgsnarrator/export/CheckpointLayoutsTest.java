package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.higgsnarrator.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.checkpoint.CheckpointConfigReader.Layout;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both checkpoint layouts, sharded or not, with split embeddings and the unused text head, convert to the same model. */
class CheckpointLayoutsTest {
    @TempDir
    Path tmp;

    @Test
    void transformersNamesFollowTheKitKeyMap() {
        Map<String, String> map = Checkpoints.bosonToHf();
        assertTrue(map.size() > 10);
        map.forEach((boson, hf) -> assertEquals(hf, CheckpointWeights.fileName(boson, Layout.TRANSFORMERS), boson));
    }

    @Test
    void transformersLayoutShardedMatchesGolden() {
        Map<String, String> map = Checkpoints.bosonToHf();
        Path ckpt = Checkpoints.write(tmp.resolve("model-hf"), KitFixture.TINY.resolve("model-hf"), map::get, 3);
        assertMatchesGolden(ckpt);
    }

    @Test
    void splitEmbeddingsAndTextHeadAreHandled() throws Exception {
        // official layout with embed_tokens split into frozen/trainable halves and an extra text head to be ignored
        Path ckpt = tmp.resolve("split");
        java.nio.file.Files.createDirectories(ckpt);
        java.nio.file.Files.copy(KitFixture.OFFICIAL.resolve("config.json"), ckpt.resolve("config.json"));
        try (SafeTensorsFile src = SafeTensorsFile.open(KitFixture.OFFICIAL.resolve("model.safetensors"))) {
            List<SafeTensorsWriter.Entry> out = new java.util.ArrayList<>();
            for (String n : src.names()) {
                var t = src.info(n);
                if (n.equals("embed_tokens.weight")) {
                    long rows = t.shape()[0], cols = t.shape()[1], cut = 128000;
                    long rowBytes = cols * t.dtype().bytes;
                    out.add(new SafeTensorsWriter.Entry("embed_tokens.embedding_frozen.weight", t.dtype(), new long[] {cut, cols},
                            SafeTensorsWriter.Data.of(src.bytes(n).asSlice(0, cut * rowBytes))));
                    out.add(new SafeTensorsWriter.Entry("embed_tokens.embedding_trainable.weight", t.dtype(), new long[] {rows - cut, cols},
                            SafeTensorsWriter.Data.of(src.bytes(n).asSlice(cut * rowBytes))));
                    out.add(new SafeTensorsWriter.Entry(CheckpointWeights.TEXT_LM_HEAD, t.dtype(), t.shape(), SafeTensorsWriter.Data.of(src.bytes(n))));
                } else {
                    out.add(new SafeTensorsWriter.Entry(n, t.dtype(), t.shape(), SafeTensorsWriter.Data.of(src.bytes(n))));
                }
            }
            SafeTensorsWriter.write(ckpt.resolve("model.safetensors"), out, Map.of());
        }
        assertMatchesGolden(ckpt);
    }

    private void assertMatchesGolden(Path ckpt) {
        Path pkg = tmp.resolve("pkg-" + ckpt.getFileName());
        Exporter.export(ckpt, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withMaxContext(1024), List.of(), Exporter.Progress.SILENT);
        try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU));
             OrtAudioLanguageModel m = new OrtAudioLanguageModel(ModelPackage.open(pkg, true), rt);
             SafeTensorsFile g = KitFixture.golden()) {
            for (String p : List.of("plain", "clone")) {
                long[] ids = KitFixture.inputIds(p);
                try (var st = m.newState(ids.length)) {
                    float[][] got = m.prefill(st, ids, KitFixture.audioFrames(g, p), 4);
                    float[] want = g.floats("prompt." + p + ".last4_logits");
                    int w = got[0].length;
                    double max = 0;
                    for (int r = 0; r < 4; r++) for (int i = 0; i < w; i++) max = Math.max(max, Math.abs(got[r][i] - want[r * w + i]));
                    assertTrue(max <= 1e-3, ckpt.getFileName() + "/" + p + ": max |Δ| " + max);
                }
            }
        }
    }
}
