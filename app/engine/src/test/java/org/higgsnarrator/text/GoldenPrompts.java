package org.higgsnarrator.text;

import com.google.gson.JsonObject;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.higgsnarrator.tensors.DType;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.higgsnarrator.tensors.TensorInfo;

/** Reads the tiny kit's prompt goldens for the tests. */
final class GoldenPrompts {
    private GoldenPrompts() {}

    /**
     * A builder configured from the kit's transformers-layout config (codebooks, code range, stream ids, delay token),
     * rendering scene clips as transformers' template does (the goldens').
     */
    static PromptBuilder builder(TextTokenizer tok) {
        return official(tok).following(org.higgsnarrator.config.ReferencePipeline.TRANSFORMERS);
    }

    /** The same builder following Boson's release (narration's). */
    static PromptBuilder official(TextTokenizer tok) {
        JsonObject c = KitFiles.json(KitFiles.tiny().resolve("model-hf/config.json"));
        int specials = c.get("audio_stream_eos_id").getAsInt() - c.get("audio_stream_bos_id").getAsInt() + 1;
        return new PromptBuilder(tok, c.get("num_codebooks").getAsInt(), c.get("codebook_size").getAsInt() - specials,
                c.get("audio_stream_bos_id").getAsInt(), c.get("audio_stream_eos_id").getAsInt(), c.get("audio_delay_token_id").getAsInt());
    }

    /** An int64 tensor [1, F, K] as [F][K]. */
    static int[][] frames(SafeTensorsFile f, String name) {
        TensorInfo info = f.info(name);
        if (info.dtype() != DType.I64 || info.rank() != 3 || info.shape()[0] != 1) throw new IllegalStateException(name + " is " + info.dtype() + info.shapeString());
        int rows = (int) info.shape()[1], cols = (int) info.shape()[2];
        MemorySegment seg = f.bytes(name);
        int[][] out = new int[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                out[r][k] = Math.toIntExact(seg.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), (long) r * cols + k));
            }
        }
        return out;
    }
}
