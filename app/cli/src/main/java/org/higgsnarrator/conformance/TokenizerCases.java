package org.higgsnarrator.conformance;

import java.util.ArrayList;
import java.util.List;

/** Golden cases of the tokenizer family. */
public final class TokenizerCases implements CaseGroup {
    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        int n = kit.cases().has("text_tokenizer") ? kit.cases().getAsJsonArray("text_tokenizer").size() : 0;
        for (int i = 0; i < n; i++) out.add(CaseResult.notImplemented("text_tokenizer[" + i + "]"));
        return out;
    }
}
