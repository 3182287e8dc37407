package org.higgsnarrator.conformance;

import java.util.ArrayList;
import java.util.List;

/** Golden cases of the prompt family. */
public final class PromptCases implements CaseGroup {
    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        for (String p : kit.promptNames()) {
            out.add(CaseResult.notImplemented("prompt." + p + ".input_ids"));
            out.add(CaseResult.notImplemented("prompt." + p + ".audio_input_ids"));
        }
        return out;
    }
}
