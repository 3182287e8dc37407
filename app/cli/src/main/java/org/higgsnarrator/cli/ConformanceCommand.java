package org.higgsnarrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.higgsnarrator.config.ReferencePipeline;
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
                Usage: ./narrator conformance --kit DIR [--tokenizer FILE] [--precision fp32|fp16|int8|int4|int8-fp16|int4-fp16] [--work DIR]
                                              [--reference transformers|official] [--io-binding] [--batch]

                Runs every golden case of a kit laid out like shared/conformance/tiny/ (model/, model-hf/, codec-hf/,
                golden/) and prints one line per case, PASS <case> <detail> or FAIL <case> <reason>, then
                "N passed, M failed". Exit status 0 only if every case passes.

                  --kit DIR          the kit directory
                  --tokenizer FILE   the text tokenizer.json (default: DIR/../text-tokenizer/tokenizer.json)
                  --precision P      fp32 (default) compares with the goldens; fp16/int8/int4 report the KL
                                     divergence of each codebook's distribution against the project's fp32 graph
                  --work DIR         where converted packages are kept (default: a temporary folder)
                  --reference R      whose behaviour to check where Boson's release and transformers' port differ
                                     (codec acoustic padding 320 vs 480 samples, end of generation): transformers
                                     (default: the kits' goldens were made with it) or official (what narration
                                     uses; codec and generation cases may then differ from the goldens). The first
                                     line of the report says which.
                  --io-binding       run the generation cases through ONNX Runtime's C API IoBinding with the
                                     KV cache in the session's memory (the GPU path, here on the CPU)
                  --batch            decode the generation cases of all the kit's prompts together as one batch
                                     (one KV slot and one sampler per prompt, one decode step for all); the same
                                     cases and tolerances as the default path
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(Set.of("kit", "tokenizer", "precision", "work", "reference", "io-binding", "batch"));
        if (args.has("batch") && args.has("io-binding")) {
            throw new Args.UsageException("--batch and --io-binding cannot be combined: the IoBinding path decodes one sequence at a time"
                    + " (batched decoding runs on the Java API path); run them one after the other");
        }
        Path kitDir = Path.of(args.require("kit"));
        Path work = args.has("work") ? Path.of(args.get("work")) : Files.createTempDirectory("narrator-conformance");
        ConformanceOptions defaults = ConformanceOptions.defaults(work);
        ReferencePipeline reference = switch (args.get("reference", "transformers").toLowerCase(java.util.Locale.ROOT)) {
            case "transformers" -> ReferencePipeline.TRANSFORMERS;
            case "official" -> ReferencePipeline.OFFICIAL;
            default -> throw new Args.UsageException("--reference expects transformers or official, got '" + args.get("reference") + "'");
        };
        ConformanceOptions options = new ConformanceOptions(args.has("precision") ? org.higgsnarrator.pkg.Precision.parse(args.get("precision", "")) : defaults.precision(), work, defaults.logitsTol(), defaults.waveTol(), defaults.tieMargin(),
                reference, args.has("io-binding"), args.has("batch"));
        try (Kit kit = Kit.open(kitDir, args.path("tokenizer"))) {
            List<CaseResult> results = ConformanceRunner.standard().run(kit, options, System.out);
            return results.stream().allMatch(CaseResult::passed) ? 0 : 1;
        }
    }
}
