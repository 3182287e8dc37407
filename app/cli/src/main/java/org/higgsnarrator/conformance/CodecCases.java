package org.higgsnarrator.conformance;

import java.util.ArrayList;
import java.util.List;

/** Golden cases of the codec family. */
public final class CodecCases implements CaseGroup {
    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        return List.of(CaseResult.notImplemented("codec.encode"), CaseResult.notImplemented("codec.decode"),
                CaseResult.notImplemented("codec.random_decode"));
    }
}
