package org.higgsnarrator.conformance;

import java.util.List;

/**
 * A family of golden cases (tokenizer, prompts, logits, generation, codec). Each group reports every case the kit
 * holds for it, passing or failing; an exception inside one case becomes that case's FAIL, not a crash.
 */
public interface CaseGroup {
    List<CaseResult> run(Kit kit, ConformanceOptions options);
}
