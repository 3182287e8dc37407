package org.higgsnarrator.export;

import java.util.stream.IntStream;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.engine.DecodeBench;

/** Small model configs for synthetic checkpoints: the release's special tokens and llama3 rope, 4 codebooks of 64. */
final class SmallConfigs {
    private SmallConfigs() {}

    /** Every layer dual-FFN, the audio expert with the text MLP's widths (Boson builds it from text_config, modeling_higgs_audio.py L417). */
    static ModelConfig of(int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim) {
        var rope = new ModelConfig.Rope("llama3", 500000, 32, 1, 4, 8192);
        var t = DecodeBench.releaseTokens();
        var tokens = new ModelConfig.SpecialTokens(t.beginOfText(), t.endOfText(), t.startHeader(), t.endHeader(), t.eot(), t.audioBos(),
                t.audioEos(), t.audioOutBos(), t.audioDelay(), t.audioIn(), t.audioOut(), 64, 65); // stream BOS/EOS follow the codebook
        return new ModelConfig(hidden, intermediate, layers, heads, kvHeads, headDim, 128256, 1e-5, rope, 4096, hidden, intermediate,
                IntStream.range(0, layers).boxed().toList(), 4, 64, true, tokens);
    }
}
