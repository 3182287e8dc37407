package org.higgsnarrator.conformance;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Runs every case group of a kit and prints one line per case, then {@code N passed, M failed}. */
public final class ConformanceRunner {
    private final List<CaseGroup> groups;

    public ConformanceRunner(List<CaseGroup> groups) {
        this.groups = groups;
    }

    /** All groups, in the order the kit README lists the cases. */
    public static ConformanceRunner standard() {
        return new ConformanceRunner(List.of(
                new TokenizerCases(),
                new PromptCases(),
                new LogitsCases(),
                new GenerationCases(),
                new CodecCases()));
    }

    public List<CaseResult> run(Kit kit, ConformanceOptions options, PrintStream out) {
        List<CaseResult> all = new ArrayList<>();
        out.println(options.referenceLine());
        for (CaseGroup g : groups) {
            List<CaseResult> rs;
            try {
                rs = g.run(kit, options);
            } catch (RuntimeException e) {
                rs = List.of(CaseResult.fail(g.getClass().getSimpleName(), "group crashed: " + e));
            }
            for (CaseResult r : rs) {
                out.println(r.line());
                out.flush();
                all.add(r);
            }
        }
        long passed = all.stream().filter(CaseResult::passed).count();
        out.println(passed + " passed, " + (all.size() - passed) + " failed");
        return all;
    }
}
