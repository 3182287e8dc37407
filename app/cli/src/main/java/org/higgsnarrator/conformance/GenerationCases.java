package org.higgsnarrator.conformance;

import java.util.ArrayList;
import java.util.List;

/** Golden cases of the generation family. */
public final class GenerationCases implements CaseGroup {
    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        for (String p : kit.promptNames()) {
            out.add(CaseResult.notImplemented("prompt." + p + ".gen_step_logits"));
            out.add(CaseResult.notImplemented("prompt." + p + ".gen_audio_sequences"));
            out.add(CaseResult.notImplemented("prompt." + p + ".gen_wave"));
        }
        return out;
    }
}
