package org.higgsnarrator.export.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.higgsnarrator.tensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit's Snake α are all 1, so the goldens cannot tell whether α is applied on the right channel. Here every α
 * is random (some tiny, which must take the literal path) and the optimized decoder (Snake folding, polyphase
 * transposed convs) must equal the literal one (five-op Snake, ONNX ConvTranspose).
 */
class SnakeFoldTest {
    @TempDir
    Path tmp;

    @Test
    void foldedSnakeEqualsLiteralSnake() {
        Path kit = Path.of(System.getProperty("narrator.kit.root", "../shared/conformance")).resolve("tiny");
        SplittableRandom r = new SplittableRandom(3);
        Map<String, Supplier<Tensor>> m = new LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(kit.resolve("codec-hf/model.safetensors"));
             SafeTensorsFile golden = SafeTensorsFile.open(kit.resolve("golden/tensors.safetensors"))) {
            int[] count = {0};
            for (String n : f.names()) {
                TensorInfo i = f.info(n);
                float[] v = f.floats(n);
                if (n.endsWith(".alpha")) {
                    boolean tiny = count[0]++ % 7 == 3; // some layers get a channel with |α| < 1e-2: not foldable
                    for (int c = 0; c < v.length; c++) v[c] = (float) (0.3 + 1.7 * r.nextDouble()) * (c % 5 == 4 ? -1 : 1);
                    if (tiny) v[0] = 1e-3f;
                }
                Tensor t = new Tensor(i.shape().clone(), v);
                m.put(n, () -> t);
            }
            CodecWeights w = CodecWeights.of("kit with random alphas", CodecWeights.foldWeightNorm(m, x -> x));
            CodecSpec spec = CodecSpec.read(kit.resolve("codec-hf"), w);
            CodecExporter.Result folded = CodecExporter.export(spec, w, tmp.resolve("folded"));
            CodecGraphs.decoder(spec, w, false).save(tmp.resolve("literal"), CodecExporter.DECODER_FILE, "test");
            int[][] codes = CodecExportTest.codes0(golden, "codec.random_codes");
            try (AudioCodec a = AudioCodec.open(folded.config(), null, tmp.resolve("folded").resolve(CodecExporter.DECODER_FILE), null);
                 AudioCodec b = AudioCodec.open(folded.config(), null, tmp.resolve("literal").resolve(CodecExporter.DECODER_FILE), null)) {
                float[] wa = a.decode(codes), wb = b.decode(codes);
                double max = CodecExportTest.maxAbs(wa, wb), peak = 0;
                for (float x : wb) peak = Math.max(peak, Math.abs(x));
                assertTrue(peak > 1e-3, "signal too small to compare: " + peak);
                assertTrue(max <= 1e-5 * Math.max(1, peak), "folded vs literal max |Δ| " + max + " (peak " + peak + ")");
            }
        }
    }
}
