package org.higgsnarrator.conformance;

import java.util.ArrayList;
import java.util.List;

/** Golden cases of the logits family. */
public final class LogitsCases implements CaseGroup {
    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        for (String p : kit.promptNames()) out.add(CaseResult.notImplemented("prompt." + p + ".last4_logits"));
        return out;
    }
}
