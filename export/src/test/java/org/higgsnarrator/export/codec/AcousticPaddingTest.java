package org.higgsnarrator.export.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.config.ReferencePipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference-clip encoding follows Boson's release: when the acoustic and semantic frame counts differ, the acoustic
 * encoder sees the clip padded by {@code 160 × semantic_downsample_factor} samples a side
 * (boson_multimodal/audio_processing/higgs_audio_tokenizer.py L107 {@code semantic_downsample_factor =
 * int(hop_length / (sample_rate / semantic_sample_rate) / 320)} = 960 / 1.5 / 320 = 2, and L271-273 {@code pad_size =
 * 160 * self.semantic_downsample_factor} = 320); transformers pads {@code hop_length // 2} = 480.
 *
 * <p>The kit's random-weight codec cannot show the difference in codes — its acoustic branch is so flat that even
 * 4800 samples of padding change no code — so the graph's padding constant is read from the saved encoder, and the
 * conformance runner's codec cases (which pass with either) say which alignment they ran.
 */
class AcousticPaddingTest {
    @TempDir
    static Path tmp;

    @Test
    void officialPadsThreeHundredTwentyTransformersFourHundredEighty() {
        assertEquals(320, ReferencePipeline.OFFICIAL.acousticPadSamples(960, 2));
        assertEquals(480, ReferencePipeline.TRANSFORMERS.acousticPadSamples(960, 2));
    }

    @Test
    void thePackagesEncoderPadsAsTheReleaseAndRecordsIt() throws Exception {
        Path codecDir = Path.of(System.getProperty("narrator.kit.root", "../shared/conformance")).resolve("tiny/codec-hf");
        assertEquals(320, CodecExporter.readConfig(codecDir).acousticPadSamples(), "packages are converted with the release's padding");
        CodecExporter.Result official = CodecExporter.export(codecDir, tmp.resolve("official"));
        CodecExporter.Result hf = CodecExporter.export(codecDir, tmp.resolve("hf"), ReferencePipeline.TRANSFORMERS);
        assertEquals(320, official.config().acousticPadSamples(), "recorded in the manifest's codec section");
        assertEquals(480, hf.config().acousticPadSamples());
        assertEquals(List.of(0L, 320L), padChoices(tmp.resolve("official").resolve(CodecExporter.ENCODER_FILE)));
        assertEquals(List.of(0L, 480L), padChoices(tmp.resolve("hf").resolve(CodecExporter.ENCODER_FILE)));
    }

    /** The two constants of the Where that chooses the acoustic padding (no padding, or the pad when the counts differ). */
    static List<Long> padChoices(Path encoder) throws Exception {
        ModelProto m;
        try (InputStream in = Files.newInputStream(encoder)) {
            m = ModelProto.parseFrom(in);
        }
        Map<String, TensorProto> init = new HashMap<>();
        for (TensorProto t : m.getGraph().getInitializerList()) init.put(t.getName(), t);
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : m.getGraph().getNodeList()) for (String o : n.getOutputList()) producer.put(o, n);
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (!n.getOpType().equals("Pad")) continue;
            // Pad(waveform, Concat(0, 0, where, 0, 0, where)) — the acoustic branch's pad of the encoder input
            NodeProto concat = producer.get(n.getInput(1));
            if (concat == null || !concat.getOpType().equals("Concat")) continue;
            NodeProto where = producer.get(concat.getInput(1));
            if (where == null || !where.getOpType().equals("Where")) continue;
            List<Long> out = new ArrayList<>();
            for (String c : List.of(where.getInput(2), where.getInput(1))) {
                out.add(ByteBuffer.wrap(init.get(c).getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getLong());
            }
            return out;
        }
        throw new AssertionError("no acoustic Pad(Where(…)) in " + encoder);
    }
}
