package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GroupQueryAttention's own rotary ({@code do_rotary} on the packed q|k|v projection, positions taken from
 * {@code seqlens_k}) computes what the plain-op rotary computes: one checkpoint with head size 16 (the tiny
 * conformance model's 8 cannot take the fused path, so the kit checks only the plain one) converted both ways gives
 * the same logits through a first prefill, a continuation prefill on the same cache (the prefix cache of long
 * form), decode steps, and a batch of two sequences at different positions.
 */
class FusedRotaryTest {
    static final ModelConfig CONFIG = SmallConfigs.of(64, 96, 2, 4, 2, 16);

    @Test
    void gqaRotaryMatchesThePlainOpRotary(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        SyntheticCheckpoint.write(ckpt, CONFIG, 1, true, 5);
        for (Precision p : List.of(Precision.FP32, Precision.INT4)) {
            Path fused = tmp.resolve("fused-" + p.id()), plain = tmp.resolve("plain-" + p.id());
            ExportOptions o = ExportOptions.defaults().withPrecision(p).withMaxContext(256).withBlockSize(16);
            Exporter.export(ckpt, KitFixture.TOKENIZER, fused, o, List.of(), Exporter.Progress.SILENT);
            Exporter.export(ckpt, KitFixture.TOKENIZER, plain, o.withGqaRotary(false), List.of(), Exporter.Progress.SILENT);

            // the two graphs really differ: rotary inside GQA (no Neg of rotate_half) against rotary before it
            for (String graph : List.of("decode_step.onnx", "prefill.onnx")) {
                assertEquals(0, count(fused.resolve(graph), "Neg"), graph + " with GQA's rotary has no rotate_half");
                assertEquals(2 * CONFIG.numLayers(), count(plain.resolve(graph), "Neg"), graph + " with plain-op rotary: q and k per layer");
                assertTrue(hasRotaryAttr(fused.resolve(graph)), graph + ": GQA carries do_rotary = 1");
            }
            for (boolean ioBinding : new boolean[] {false, true}) {
                compare(run(fused, ioBinding), run(plain, ioBinding), p.id() + (ioBinding ? ", IoBinding" : ""), p == Precision.FP32 ? 1e-4 : 2e-3);
            }
        }
    }

    private static void compare(List<float[]> a, List<float[]> b, String what, double tolerance) {
        assertEquals(a.size(), b.size());
        double worst = 0, spread = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                worst = Math.max(worst, Math.abs(a.get(i)[j] - b.get(i)[j]));
                spread = Math.max(spread, Math.abs(a.get(i)[j] - a.get(i)[0]));
            }
        }
        assertTrue(spread > 1e-3, "random weights give distinct logits (spread " + spread + ")");
        assertTrue(worst < tolerance, what + ": fused vs plain rotary, max |Δ| " + worst + " over " + a.size() + " logit rows");
    }

    /**
     * Logit rows of: a prefill, a continuation prefill, four steps; then (where the model batches) a two-sequence batch
     * at different positions. {@code ioBinding}: through the C API IoBinding path (KV cache in the session's memory).
     */
    private static List<float[]> run(Path pkg, boolean ioBinding) {
        ModelConfig.SpecialTokens t = CONFIG.tokens();
        int k = CONFIG.numCodebooks();
        List<float[]> rows = new ArrayList<>();
        try (OrtRuntime rt = new OrtRuntime(RuntimeOptions.defaults().withDevice(Device.CPU).withIoBinding(ioBinding));
             AudioLanguageModel model = OrtAudioLanguageModel.open(ModelPackage.open(pkg, true), rt)) {
            long[] first = {t.beginOfText(), 791, 7160, 38268, 1234, t.eot(), t.audioOutBos(), t.audioOut(), t.audioOut()};
            int[][] frames = {frame(k, 3), frame(k, 9)};
            long[] more = {t.audioOut(), 4321, 999, t.audioOutBos()};
            try (AudioLanguageModel.State st = model.newState(40)) {
                rows.addAll(List.of(model.prefill(st, first, frames, first.length)));
                rows.addAll(List.of(model.prefill(st, more, new int[][] {frame(k, 17)}, more.length)));
                for (int s = 0; s < 4; s++) rows.add(model.step(st, frame(k, 20 + s)));
            }
            if (!model.batchable()) return rows;
            try (AudioLanguageModel.Batch b = model.newBatch(2, 40)) {
                model.prefill(b, 0, first, frames, 1);
                model.prefill(b, 1, more, new int[][] {frame(k, 17)}, 1);
                for (int s = 0; s < 3; s++) rows.addAll(List.of(model.step(b, new int[][] {frame(k, 30 + s), frame(k, 40 + s)})));
            }
        }
        return rows;
    }

    private static int[] frame(int k, int seed) {
        int[] f = new int[k];
        for (int i = 0; i < k; i++) f[i] = (seed * 7 + i * 13) % CONFIG.codebookSize();
        return f;
    }

    private static ModelProto read(Path graph) throws IOException {
        try (InputStream in = Files.newInputStream(graph)) {
            return ModelProto.parseFrom(in);
        }
    }

    private static long count(Path graph, String op) throws IOException {
        return read(graph).getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }

    private static boolean hasRotaryAttr(Path graph) throws IOException {
        for (NodeProto n : read(graph).getGraph().getNodeList()) {
            if (!n.getOpType().equals("GroupQueryAttention")) continue;
            boolean on = n.getAttributeList().stream().anyMatch(a -> a.getName().equals("do_rotary") && a.getI() == 1);
            if (!on) return false;
        }
        return true;
    }
}
