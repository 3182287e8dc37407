package org.higgsnarrator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.higgsnarrator.export.ExportOptions;
import org.higgsnarrator.export.Exporter;
import org.higgsnarrator.pkg.Precision;

/** {@code ./narrator export}: Convert a Hugging Face checkpoint into a model package. */
public final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "Convert a Hugging Face checkpoint into a model package.";
    }

    @Override
    public String usage() {
        ExportOptions d = ExportOptions.defaults();
        return """
                Usage: ./narrator export --checkpoint DIR --out DIR [options]

                Converts a Higgs Audio v2 generation checkpoint (official bosonai layout or transformers layout,
                sharded or not) into a model package: manifest.json, prefill.onnx + decode_step.onnx sharing one
                weight file, and the tokenizer (format: docs/model-package.md). Writes into a temporary folder
                beside --out and moves it into place at the end; weights are streamed, not loaded.

                  --checkpoint DIR   folder with config.json and *.safetensors (+ model.safetensors.index.json)
                  --out DIR          the package folder to create
                  --tokenizer FILE   the release's tokenizer.json (default: DIR/tokenizer.json); copied into the
                                     package and used for special-token ids the config lacks
                  --codec DIR        also convert the audio tokenizer (codec) checkpoint into the package
                  --precision P      fp32 (default) | fp16 | int8 | int4 (block-quantized MatMulNBits, fp32
                                     activations: for the CPU) | int8-fp16 | int4-fp16 (the same with fp16 scales,
                                     activations and KV cache: for CUDA, where attention then stays on the GPU)
                  --block-size N     int8/int4 quantization block along the input dim (default %d)
                  --accuracy-level N int8/int4 compute: 4 = int8 activations, fast on CPU (default %d);
                                     0 = fp32 compute (slower, slightly closer to fp32); CUDA ignores it
                  --gqa-rotary on|off  rotary inside GroupQueryAttention where head_dim % 16 == 0 (default on);
                                     off writes the plain-op rotary, to compare the two (bench paired)
                  --max-context N    positions the rotary tables cover = largest KV cache (default %d, capped
                                     by the config's max_position_embeddings)
                  --name TEXT        package name shown to users (default: the checkpoint folder's name)
                  --random-weights   mark the package as a random-weight test package (e.g. the tiny kit model)
                  --force            replace an existing package at --out

                Example (the bundled tiny package):
                  ./narrator export --checkpoint ../shared/conformance/tiny/model \\
                      --tokenizer ../shared/conformance/text-tokenizer/tokenizer.json \\
                      --codec ../shared/conformance/tiny/codec-hf --out onnx-models/tiny --random-weights --name tiny
                """.formatted(d.blockSize(), d.accuracyLevel(), d.maxContext());
    }

    @Override
    public int run(Args args) {
        args.rejectUnknown(Set.of("checkpoint", "out", "tokenizer", "codec", "precision", "block-size", "accuracy-level", "gqa-rotary", "max-context", "name",
                "random-weights", "force"));
        ExportOptions d = ExportOptions.defaults();
        ExportOptions opt;
        try {
            opt = new ExportOptions(Precision.parse(args.get("precision", "fp32")), args.getInt("block-size", d.blockSize()),
                    args.getInt("max-context", d.maxContext()), args.get("name"), args.has("random-weights"), args.has("force"),
                    args.getInt("accuracy-level", d.accuracyLevel()), onOff(args.get("gqa-rotary", "on")));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        Path ckpt = Path.of(args.require("checkpoint"));
        Path out = Path.of(args.require("out"));
        List<Exporter.PackagePart> parts = new ArrayList<>();
        if (args.has("codec")) parts.add(Exporter.codecPart(Path.of(args.get("codec")), opt));
        long t0 = System.nanoTime();
        // one line rewritten in place on a terminal; in logs a line every few seconds and no carriage returns
        ConsoleProgress progress = new ConsoleProgress(System.err);
        Exporter.Result r;
        try {
            r = Exporter.export(ckpt, args.path("tokenizer"), out, opt, parts, (message, done, total) -> {
                if (total == 0) {
                    progress.finish();
                    System.err.println(message);
                } else {
                    progress.update(message, done, total);
                }
            });
        } finally {
            progress.finish();
        }
        System.out.printf("exported %s (%s, %d files, %.1f MB) in %.1f s%n", r.dir(), opt.precision().id(), r.manifest().files().size(),
                r.manifest().files().values().stream().mapToLong(f -> f.size()).sum() / 1e6, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static boolean onOff(String v) {
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--gqa-rotary takes on or off, not " + v);
        };
    }
}
