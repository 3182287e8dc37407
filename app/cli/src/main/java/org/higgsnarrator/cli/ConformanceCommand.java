package org.higgsnarrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.higgsnarrator.conformance.CaseResult;
import org.higgsnarrator.conformance.ConformanceOptions;
import org.higgsnarrator.conformance.ConformanceRunner;
import org.higgsnarrator.conformance.Kit;

/** {@code ./narrator conformance}: checks the project against a kit of golden reference outputs. */
public final class ConformanceCommand implements Command {
    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public String summary() {
        return "Check the project against a conformance kit (golden reference outputs).";
    }

    @Override
    public String usage() {
        return """
                Usage: ./narrator conformance --kit DIR [--tokenizer FILE] [--precision fp32|fp16|int8|int4] [--work DIR]

                Runs every golden case of a kit laid out like shared/conformance/tiny/ (model/, model-hf/, codec-hf/,
                golden/) and prints one line per case, PASS <case> <detail> or FAIL <case> <reason>, then
                "N passed, M failed". Exit status 0 only if every case passes.

                  --kit DIR          the kit directory
                  --tokenizer FILE   the text tokenizer.json (default: DIR/../text-tokenizer/tokenizer.json)
                  --precision P      fp32 (default) compares with the goldens; fp16/int8/int4 report the KL
                                     divergence of each codebook's distribution against the project's fp32 graph
                  --work DIR         where converted packages are kept (default: a temporary folder)
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(Set.of("kit", "tokenizer", "precision", "work"));
        Path kitDir = Path.of(args.require("kit"));
        Path work = args.has("work") ? Path.of(args.get("work")) : Files.createTempDirectory("narrator-conformance");
        ConformanceOptions defaults = ConformanceOptions.defaults(work);
        ConformanceOptions options = new ConformanceOptions(args.has("precision") ? org.higgsnarrator.pkg.Precision.parse(args.get("precision", "")) : defaults.precision(), work, defaults.logitsTol(), defaults.waveTol(), defaults.tieMargin());
        try (Kit kit = Kit.open(kitDir, args.path("tokenizer"))) {
            List<CaseResult> results = ConformanceRunner.standard().run(kit, options, System.out);
            return results.stream().allMatch(CaseResult::passed) ? 0 : 1;
        }
    }
}
