package org.higgsnarrator.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.tensors.DType;

/**
 * A checkpoint in the official layout with arbitrary sizes and placeholder weights, for benchmarks: conversion memory
 * at the released size, decode speed at the released width. Tensors are written sparsely (one 4 KiB page in 256 holds
 * data), so even the released 11.5 GB costs almost no disk. Speed does not depend on the weight values.
 */
public final class SyntheticCheckpoint {
    private SyntheticCheckpoint() {}

    /**
     * Writes {@code config.json} and {@code shards} safetensors files (+ index when more than one) into {@code dir}.
     *
     * @param c             the sizes and token ids to write
     * @param withTextHead  also write the unused {@code audio_decoder_proj.text_lm_head.weight}, as the release does
     * @return bytes of tensor data written (logical size)
     */
    public static long write(Path dir, ModelConfig c, int shards, boolean withTextHead) {
        return write(dir, c, shards, withTextHead, 0);
    }

    /**
     * @param seed 0 = sparse placeholder weights (benchmarks); otherwise dense random weights from this seed, for
     *             tests whose checks must see every row and column differ (transpositions, routing, head layout)
     */
    public static long write(Path dir, ModelConfig c, int shards, boolean withTextHead, long seed) {
        return write(dir, c, shards, withTextHead, seed, name -> false);
    }

    /**
     * @param seed     as above (non-zero)
     * @param reseeded weights drawn from other seeds than the rest (all others equal those of the same {@code seed}):
     *                 for tests that change one part of a model, e.g. the audio expert
     */
    public static long write(Path dir, ModelConfig c, int shards, boolean withTextHead, long seed, java.util.function.Predicate<String> reseeded) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), officialConfig(c).toString());
            CheckpointWeights shapes = new CheckpointWeights(null, CheckpointConfigReader.Layout.OFFICIAL, c);
            List<SafeTensorsWriter.Entry> all = new ArrayList<>();
            long k = seed;
            for (String n : CheckpointWeights.requiredNames(c)) {
                ++k;
                all.add(seed == 0 ? sparse(n, shapes.expectedShape(n)) : random(n, shapes.expectedShape(n), reseeded.test(n) ? k + 1_000_003L : k));
            }
            if (withTextHead) all.add(sparse(CheckpointWeights.TEXT_LM_HEAD, new long[] {c.vocabSize(), c.hiddenSize()}));
            long bytes = 0;
            JsonObject wm = new JsonObject();
            int per = (all.size() + shards - 1) / shards;
            for (int s = 0; s < shards; s++) {
                String file = shards == 1 ? "model.safetensors" : String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
                List<SafeTensorsWriter.Entry> part = all.subList(s * per, Math.min(all.size(), (s + 1) * per));
                for (var e : part) {
                    wm.addProperty(e.name(), file);
                    bytes += e.bytes();
                }
                SafeTensorsWriter.write(dir.resolve(file), part, Map.of("format", "pt"));
            }
            if (shards > 1) {
                JsonObject index = new JsonObject();
                index.add("weight_map", wm);
                Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthetic checkpoint in " + dir, e);
        }
    }

    /** The official {@code config.json} for {@code c} (what {@link CheckpointConfigReader} reads back as {@code c}). */
    public static JsonObject officialConfig(ModelConfig c) {
        ModelConfig.SpecialTokens t = c.tokens();
        JsonObject text = new JsonObject();
        text.addProperty("model_type", "llama");
        text.addProperty("hidden_size", c.hiddenSize());
        text.addProperty("intermediate_size", c.intermediateSize());
        text.addProperty("num_hidden_layers", c.numLayers());
        text.addProperty("num_attention_heads", c.numHeads());
        text.addProperty("num_key_value_heads", c.numKvHeads());
        text.addProperty("head_dim", c.headDim());
        text.addProperty("vocab_size", c.vocabSize());
        text.addProperty("rms_norm_eps", c.rmsNormEps());
        text.addProperty("rope_theta", c.rope().theta());
        text.addProperty("max_position_embeddings", c.maxPositionEmbeddings());
        text.addProperty("bos_token_id", t.beginOfText());
        JsonObject rs = new JsonObject();
        rs.addProperty("rope_type", c.rope().type());
        rs.addProperty("factor", c.rope().factor());
        rs.addProperty("low_freq_factor", c.rope().lowFreqFactor());
        rs.addProperty("high_freq_factor", c.rope().highFreqFactor());
        rs.addProperty("original_max_position_embeddings", c.rope().originalMaxPositionEmbeddings());
        text.add("rope_scaling", rs);
        JsonObject root = new JsonObject();
        root.addProperty("model_type", "higgs_audio");
        root.addProperty("audio_adapter_type", "dual_ffn_fast_forward");
        JsonArray dual = new JsonArray();
        c.dualFfnLayers().forEach(dual::add);
        root.add("audio_dual_ffn_layers", dual);
        root.addProperty("audio_ffn_hidden_size", c.audioFfnHiddenSize());
        root.addProperty("audio_ffn_intermediate_size", c.audioFfnIntermediateSize());
        root.addProperty("audio_num_codebooks", c.numCodebooks());
        root.addProperty("audio_codebook_size", c.codebookSize());
        root.addProperty("audio_stream_bos_id", t.audioStreamBos());
        root.addProperty("audio_stream_eos_id", t.audioStreamEos());
        root.addProperty("audio_bos_token_id", t.audioBos());
        root.addProperty("audio_eos_token_id", t.audioEos());
        root.addProperty("audio_out_bos_token_id", t.audioOutBos());
        root.addProperty("audio_delay_token_id", t.audioDelay());
        root.addProperty("audio_in_token_idx", t.audioIn());
        root.addProperty("audio_out_token_idx", t.audioOut());
        root.addProperty("pad_token_id", t.endOfText());
        root.addProperty("use_delay_pattern", c.useDelayPattern());
        root.add("text_config", text);
        return root;
    }

    /** A dense bf16 tensor of values uniform in ±0.1 (norm weights around 1), reproducible from {@code seed}. */
    public static SafeTensorsWriter.Entry random(String name, long[] shape, long seed) {
        long n = 1;
        for (long d : shape) n *= d;
        long count = n;
        boolean norm = name.endsWith("layernorm.weight") || name.equals("norm.weight");
        return new SafeTensorsWriter.Entry(name, DType.BF16, shape, ch -> {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < count; i++) {
                float v = (float) (norm ? 1 + r.nextDouble(-0.1, 0.1) : r.nextDouble(-0.1, 0.1));
                b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                if (!b.hasRemaining() || i == count - 1) {
                    b.flip();
                    while (b.hasRemaining()) ch.write(b);
                    b.clear();
                }
            }
        });
    }

    /** A bf16 tensor of a small constant, written sparsely: only one 4 KiB page in 256 carries data. */
    public static SafeTensorsWriter.Entry sparse(String name, long[] shape) {
        long n = 2;
        for (long d : shape) n *= d;
        long bytes = n;
        return new SafeTensorsWriter.Entry(name, DType.BF16, shape, ch -> {
            long start = ch.position();
            ByteBuffer page = ByteBuffer.allocate(4096);
            for (int i = 0; i < 4096; i += 2) page.putShort(i, (short) 0x3c00); // bf16 ≈ 0.0078
            for (long off = 0; off < bytes; off += 4096L * 256) {
                page.clear().limit((int) Math.min(4096, bytes - off));
                ch.write(page, start + off);
            }
            ch.write(ByteBuffer.wrap(new byte[] {0, 0}), start + bytes - 2); // the file must reach its full size
            ch.position(start + bytes);
        });
    }
}
