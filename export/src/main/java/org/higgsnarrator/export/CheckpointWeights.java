package org.higgsnarrator.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.higgsnarrator.checkpoint.CheckpointConfigReader.Layout;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.tensors.TensorFileException;
import org.higgsnarrator.tensors.TensorInfo;
import org.higgsnarrator.tensors.TensorSource;

/**
 * The generation model's weights in a checkpoint of either layout, addressed by official-layout names and checked
 * against the config's shapes. Transformers names map by rule ({@link #fileName}); split embeddings/heads
 * ({@code .embedding_frozen}/{@code .embedding_trainable}, {@code .linear_frozen}/{@code .linear_trainable}) are
 * concatenated along rows; {@code audio_decoder_proj.text_lm_head.weight} is never read.
 */
public final class CheckpointWeights {
    public static final String TEXT_LM_HEAD = "audio_decoder_proj.text_lm_head.weight";

    private final TensorSource source;
    private final Layout layout;
    private final ModelConfig cfg;

    public CheckpointWeights(TensorSource source, Layout layout, ModelConfig cfg) {
        this.source = source;
        this.layout = layout;
        this.cfg = cfg;
    }

    /** The file name of an official-layout name in this checkpoint's layout. */
    public static String fileName(String official, Layout layout) {
        if (layout == Layout.OFFICIAL) return official;
        return switch (official) {
            case "audio_codebook_embeddings.weight" -> "model.embed_audio_tokens.embed_audio_tokens.weight";
            case "audio_decoder_proj.audio_lm_head.weight" -> "audio_lm_head.weight";
            case TEXT_LM_HEAD -> "text_lm_head.weight";
            default -> "model." + official;
        };
    }

    /** Every official-layout tensor the converter reads, in file-writing order. */
    public static List<String> requiredNames(ModelConfig c) {
        List<String> names = new ArrayList<>();
        names.add("embed_tokens.weight");
        names.add("audio_codebook_embeddings.weight");
        for (int l = 0; l < c.numLayers(); l++) {
            for (String n : layerNames()) names.add("layers." + l + "." + n);
        }
        names.add("norm.weight");
        names.add("audio_decoder_proj.audio_lm_head.weight");
        return names;
    }

    static List<String> layerNames() {
        return List.of("input_layernorm.weight", "audio_input_layernorm.weight",
                "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
                "post_attention_layernorm.weight", "audio_post_attention_layernorm.weight",
                "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
                "audio_mlp.gate_proj.weight", "audio_mlp.up_proj.weight", "audio_mlp.down_proj.weight");
    }

    /** The shape the config implies for an official-layout name. */
    public long[] expectedShape(String official) {
        long h = cfg.hiddenSize(), q = (long) cfg.numHeads() * cfg.headDim(), kv = (long) cfg.numKvHeads() * cfg.headDim();
        long entries = (long) cfg.numCodebooks() * cfg.codebookEntries();
        if (official.equals("embed_tokens.weight")) return new long[] {cfg.vocabSize(), h};
        if (official.equals("audio_codebook_embeddings.weight") || official.equals("audio_decoder_proj.audio_lm_head.weight")) return new long[] {entries, h};
        if (official.equals("norm.weight") || official.endsWith("layernorm.weight")) return new long[] {h};
        String n = official.substring(official.indexOf('.', "layers.".length()) + 1);
        return switch (n) {
            case "self_attn.q_proj.weight" -> new long[] {q, h};
            case "self_attn.k_proj.weight", "self_attn.v_proj.weight" -> new long[] {kv, h};
            case "self_attn.o_proj.weight" -> new long[] {h, q};
            case "mlp.gate_proj.weight", "mlp.up_proj.weight" -> new long[] {cfg.intermediateSize(), h};
            case "mlp.down_proj.weight" -> new long[] {h, cfg.intermediateSize()};
            case "audio_mlp.gate_proj.weight", "audio_mlp.up_proj.weight" -> new long[] {cfg.audioFfnIntermediateSize(), h};
            case "audio_mlp.down_proj.weight" -> new long[] {h, cfg.audioFfnIntermediateSize()};
            default -> throw new IllegalArgumentException("unknown weight " + official);
        };
    }

    /** Opens one weight (concatenating frozen/trainable splits) and checks dtype and shape. */
    public SourceTensor get(String official) {
        long[] expected = expectedShape(official);
        String file = fileName(official, layout);
        List<SourceTensor.Part> parts = new ArrayList<>();
        if (source.contains(file)) {
            parts.add(part(source.info(file)));
        } else {
            String stem = file.substring(0, file.length() - ".weight".length());
            for (String kind : List.of("embedding", "linear")) {
                String frozen = stem + "." + kind + "_frozen.weight", trainable = stem + "." + kind + "_trainable.weight";
                if (source.contains(frozen) || source.contains(trainable)) {
                    if (!source.contains(frozen) || !source.contains(trainable)) {
                        throw new TensorFileException("checkpoint has only one of '" + frozen + "' and '" + trainable
                                + "'; both halves are needed to rebuild '" + file + "' — the checkpoint is incomplete");
                    }
                    parts.add(part(source.info(frozen)));
                    parts.add(part(source.info(trainable)));
                }
            }
            if (parts.isEmpty()) source.info(file); // throws: names the tensor and the closest match
        }
        long rows = 0;
        for (SourceTensor.Part p : parts) {
            TensorInfo t = p.info();
            if (!t.dtype().isFloat()) {
                throw new TensorFileException(t.file() + ": tensor '" + t.name() + "' is " + t.dtype() + "; weights must be F32, F16 or BF16");
            }
            if (t.rank() != expected.length || (expected.length == 2 && t.shape()[1] != expected[1])) {
                t.requireShape(official + " (from config.json)", expected);
            }
            rows += t.shape()[0];
        }
        if (rows != expected[0]) {
            TensorInfo t = parts.getFirst().info();
            throw new TensorFileException(t.file() + ": tensor '" + file + "' has " + rows + " rows in all but config.json implies shape "
                    + java.util.Arrays.toString(expected) + " — the checkpoint does not match its config.json");
        }
        return new SourceTensor(official, expected, List.copyOf(parts));
    }

    private SourceTensor.Part part(TensorInfo t) {
        return new SourceTensor.Part(t, source.bytes(t.name()), t.shape()[0]);
    }

    /** Checks every required tensor up front, so a broken checkpoint fails before anything is written. */
    public void validateAll() {
        for (String n : requiredNames(cfg)) get(n);
    }

    /** File tensors that the converter does not use (reported, not an error). */
    public Set<String> unused() {
        Set<String> used = new TreeSet<>();
        for (String n : requiredNames(cfg)) {
            String f = fileName(n, layout);
            used.add(f);
            String stem = f.substring(0, f.length() - ".weight".length());
            for (String k : List.of("embedding", "linear")) {
                used.add(stem + "." + k + "_frozen.weight");
                used.add(stem + "." + k + "_trainable.weight");
            }
        }
        Set<String> out = new TreeSet<>(source.names());
        out.removeAll(used);
        return out;
    }
}
