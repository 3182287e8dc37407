package org.higgsnarrator.export.codec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.higgsnarrator.tensors.TensorInfo;

/**
 * The audio tokenizer's weights under the transformers names ({@code acoustic_encoder.*}, {@code acoustic_decoder.*},
 * {@code semantic_model.*}, {@code encoder_semantic.*}, {@code fc.*}, {@code fc2.*}, {@code quantizer.quantizers.N.*}),
 * whichever layout they came from, with weight normalization already folded into plain {@code .weight} tensors.
 *
 * <p>Layouts: the transformers one ({@code model.safetensors}, weight norm as
 * {@code parametrizations.weight.original0/1}) and the official {@code bosonai/higgs-audio-v2-tokenizer} one
 * ({@code model.pth}, weight norm as {@code weight_g/weight_v}, names mapped by {@link #OFFICIAL_TO_HF} exactly as
 * transformers' {@code convert_higgs_audio_v2_tokenizer_to_hf.py} does).
 */
final class CodecWeights implements AutoCloseable {
    private final String source;
    private final Map<String, Supplier<Tensor>> entries;
    private final AutoCloseable backing;

    private CodecWeights(String source, Map<String, Supplier<Tensor>> entries, AutoCloseable backing) {
        this.source = source;
        this.entries = entries;
        this.backing = backing;
    }

    /** Opens {@code dir/model.safetensors} (transformers layout) or {@code dir/model.pth} (official layout). */
    static CodecWeights open(Path dir) {
        Path st = dir.resolve("model.safetensors");
        Path pth = dir.resolve("model.pth");
        if (Files.isRegularFile(st)) return fromSafetensors(st);
        if (Files.isRegularFile(pth)) return fromPth(pth);
        throw new CodecExportException(dir + " holds neither model.safetensors (transformers or official names) nor model.pth "
                + "(official bosonai/higgs-audio-v2-tokenizer layout); point the converter at the audio tokenizer's folder");
    }

    /** Whose tensor names a checkpoint uses. */
    enum Naming { TRANSFORMERS, OFFICIAL }

    /**
     * Tells the naming from the names themselves: a {@code model.safetensors} may come from transformers' converter or
     * hold Boson's own state dict (the names of {@code model.pth}), whatever the folder's config says.
     */
    static Naming naming(java.util.Collection<String> names, String source) {
        boolean hf = false, official = false;
        for (String n : names) {
            hf |= n.startsWith("acoustic_encoder.") || n.startsWith("acoustic_decoder.") || n.startsWith("quantizer.quantizers.");
            official |= n.startsWith("encoder.block.") || n.startsWith("decoder_2.") || n.startsWith("quantizer.vq.") || n.startsWith("fc_prior.");
        }
        if (hf && !official) return Naming.TRANSFORMERS;
        if (official && !hf) return Naming.OFFICIAL;
        throw new CodecExportException(source + ": " + (hf ? "mixes transformers names (acoustic_encoder.…) with official ones (encoder.block.…, decoder_2.…)"
                : "has neither transformers names (acoustic_encoder.…, quantizer.quantizers.…) nor official ones (encoder.block.…, decoder_2.…, quantizer.vq.…)")
                + " — is this the Higgs Audio v2 audio tokenizer?");
    }

    /** Weights already under transformers names (tests, {@link ReleasedShapeCodec}). */
    static CodecWeights of(String source, Map<String, Supplier<Tensor>> tensors) {
        return new CodecWeights(source, new LinkedHashMap<>(tensors), () -> { });
    }

    static CodecWeights fromSafetensors(Path file) {
        SafeTensorsFile f = SafeTensorsFile.open(file);
        Map<String, Supplier<Tensor>> raw = new LinkedHashMap<>();
        for (String n : f.names()) {
            raw.put(n, () -> {
                TensorInfo info = f.info(n);
                return new Tensor(info.shape().clone(), f.floats(n));
            });
        }
        Naming naming;
        try {
            naming = naming(raw.keySet(), file.toString());
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        Function<String, String> rename = naming == Naming.OFFICIAL ? CodecWeights::officialToHf : Function.identity();
        return new CodecWeights(file.toString(), foldWeightNorm(raw, rename), f);
    }

    static CodecWeights fromPth(Path file) {
        TorchPth p = TorchPth.open(file);
        return new CodecWeights(file.toString(), foldWeightNorm(p.tensors(), CodecWeights::officialToHf), p);
    }

    boolean has(String name) {
        return entries.containsKey(name);
    }

    Tensor get(String name) {
        Supplier<Tensor> s = entries.get(name);
        if (s == null) {
            throw new CodecExportException(source + ": tensor '" + name + "' is missing — is this the Higgs Audio v2 "
                    + "audio tokenizer (transformers or official layout)? Found " + entries.size() + " tensors");
        }
        return s.get();
    }

    /** get() with a shape check that names the tensor. */
    Tensor get(String name, long... shape) {
        Tensor t = get(name);
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new CodecExportException(source + ": tensor '" + name + "' has shape " + t.shapeString() + " but the "
                    + "configuration needs " + java.util.Arrays.toString(shape) + " — config.json does not match the weights");
        }
        return t;
    }

    Set<String> names() {
        return new TreeSet<>(entries.keySet());
    }

    String source() {
        return source;
    }

    /** Count of indexed children {@code prefix.N.} present (e.g. layers). */
    int count(String prefix) {
        int n = 0;
        while (true) {
            String p = prefix + "." + n + ".";
            if (entries.keySet().stream().noneMatch(k -> k.startsWith(p))) return n;
            n++;
        }
    }

    @Override
    public void close() {
        try {
            backing.close();
        } catch (Exception ignored) {
            // read-only sources
        }
    }

    // ---- weight normalization ---------------------------------------------------------------------------------------

    /**
     * Replaces every (g, v) pair — {@code X.weight_g/X.weight_v} or {@code X.parametrizations.weight.original0/1} —
     * by {@code X.weight = g · v / ‖v‖}, the norm taken over the dimensions where g has size 1 (dim 0 kept for the
     * DAC convs, dim 2 kept for HuBERT's positional conv), and renames everything with {@code rename}.
     */
    static Map<String, Supplier<Tensor>> foldWeightNorm(Map<String, Supplier<Tensor>> raw, Function<String, String> rename) {
        Map<String, Supplier<Tensor>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<Tensor>> e : raw.entrySet()) {
            String k = e.getKey();
            String base = null, vKey = null;
            if (k.endsWith(".weight_g")) {
                base = k.substring(0, k.length() - ".weight_g".length());
                vKey = base + ".weight_v";
            } else if (k.endsWith(".parametrizations.weight.original0")) {
                base = k.substring(0, k.length() - ".parametrizations.weight.original0".length());
                vKey = base + ".parametrizations.weight.original1";
            }
            if (base != null && raw.containsKey(vKey)) {
                Supplier<Tensor> g = e.getValue(), v = raw.get(vKey);
                out.put(rename.apply(base + ".weight"), () -> fold(g.get(), v.get()));
            } else if (k.endsWith(".weight_v") || k.endsWith(".parametrizations.weight.original1")) {
                continue; // consumed with its g
            } else {
                out.put(rename.apply(k), e.getValue());
            }
        }
        return out;
    }

    static Tensor fold(Tensor g, Tensor v) {
        int rank = v.rank();
        boolean[] keep = new boolean[rank];
        if (g.rank() == rank) {
            for (int d = 0; d < rank; d++) keep[d] = g.shape()[d] != 1 && g.shape()[d] == v.shape()[d];
        } else if (g.data().length != 1) {
            keep[0] = true;
        }
        // Index of the kept coordinates → one norm per kept index combination.
        long[] gShape = new long[rank];
        for (int d = 0; d < rank; d++) gShape[d] = keep[d] ? v.shape()[d] : 1;
        int groups = 1;
        for (long s : gShape) groups *= (int) s;
        if (groups != g.data().length) {
            throw new CodecExportException("weight norm: g of shape " + g.shapeString() + " does not match v of shape " + v.shapeString());
        }
        double[] sq = new double[groups];
        float[] vd = v.data();
        int[] gi = new int[vd.length];
        long[] idx = new long[rank];
        for (int i = 0; i < vd.length; i++) {
            int j = 0;
            for (int d = 0; d < rank; d++) j = (int) (j * gShape[d] + (keep[d] ? idx[d] : 0));
            gi[i] = j;
            sq[j] += (double) vd[i] * vd[i];
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < v.shape()[d]) break;
                idx[d] = 0;
            }
        }
        float[] w = new float[vd.length];
        for (int i = 0; i < vd.length; i++) w[i] = (float) (g.data()[gi[i]] * (double) vd[i] / Math.sqrt(sq[gi[i]]));
        return new Tensor(v.shape().clone(), w);
    }

    // ---- official → transformers names ------------------------------------------------------------------------------

    private static final List<String> INNER = List.of("snake1", "conv1", "snake2", "conv2");

    private record Rule(Pattern pattern, Function<Matcher, String> replacement) {}

    /**
     * The name mapping of transformers' {@code convert_higgs_audio_v2_tokenizer_to_hf.py}, applied in order, each rule
     * to the result of the previous one. Official DAC module lists are numbered: {@code encoder.block.0} is the first
     * conv, {@code .1–.5} the strided blocks (inside: {@code block.0–2} residual units, {@code .3} Snake,
     * {@code .4} strided conv), {@code .6} Snake, {@code .7} the last conv; {@code decoder_2.model} likewise (inside a
     * block: {@code .0} Snake, {@code .1} transposed conv, {@code .2–4} residual units). Semantic convs lose their
     * extra {@code .conv} wrapper; {@code fc_prior} → {@code fc}, {@code fc_post2} → {@code fc2}.
     */
    static final List<Rule> OFFICIAL_TO_HF = List.of(
            rule("^encoder\\.block\\.0(?=\\.)", m -> "acoustic_encoder.conv1"),
            rule("^encoder\\.block\\.6(?=\\.)", m -> "acoustic_encoder.snake1"),
            rule("^encoder\\.block\\.7(?=\\.)", m -> "acoustic_encoder.conv2"),
            rule("^encoder\\.block\\.(\\d+)\\.block\\.([012])\\.block\\.([0123])(?=\\.)",
                    m -> "acoustic_encoder.block." + (i(m, 1) - 1) + ".res_unit" + (i(m, 2) + 1) + "." + INNER.get(i(m, 3))),
            rule("^encoder\\.block\\.(\\d+)\\.block\\.3(?=\\.)", m -> "acoustic_encoder.block." + (i(m, 1) - 1) + ".snake1"),
            rule("^encoder\\.block\\.(\\d+)\\.block\\.4(?=\\.)", m -> "acoustic_encoder.block." + (i(m, 1) - 1) + ".conv1"),
            rule("^decoder_2\\.model\\.0(?=\\.)", m -> "acoustic_decoder.conv1"),
            rule("^decoder_2\\.model\\.6(?=\\.)", m -> "acoustic_decoder.snake1"),
            rule("^decoder_2\\.model\\.7(?=\\.)", m -> "acoustic_decoder.conv2"),
            rule("^decoder_2\\.model\\.(\\d+)\\.block\\.0(?=\\.)", m -> "acoustic_decoder.block." + (i(m, 1) - 1) + ".snake1"),
            rule("^decoder_2\\.model\\.(\\d+)\\.block\\.1(?=\\.)", m -> "acoustic_decoder.block." + (i(m, 1) - 1) + ".conv_t1"),
            rule("^decoder_2\\.model\\.(\\d+)\\.block\\.([234])\\.block\\.([0123])(?=\\.)",
                    m -> "acoustic_decoder.block." + (i(m, 1) - 1) + ".res_unit" + (i(m, 2) - 1) + "." + INNER.get(i(m, 3))),
            rule("^quantizer\\.vq\\.layers", m -> "quantizer.quantizers"),
            rule("\\._codebook\\.", m -> ".codebook."),
            rule("^fc_prior\\.", m -> "fc."),
            rule("^fc_post1\\.", m -> "fc1."),
            rule("^fc_post2\\.", m -> "fc2."),
            rule("\\.conv\\.conv\\.", m -> ".conv."),
            rule("\\.conv1\\.conv\\.", m -> ".conv1."),
            rule("\\.conv2\\.conv\\.", m -> ".conv2."));

    private static Rule rule(String regex, Function<Matcher, String> f) {
        return new Rule(Pattern.compile(regex), f);
    }

    private static int i(Matcher m, int g) {
        return Integer.parseInt(m.group(g));
    }

    static String officialToHf(String key) {
        for (Rule r : OFFICIAL_TO_HF) {
            Matcher m = r.pattern.matcher(key);
            StringBuilder sb = new StringBuilder();
            boolean any = false;
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(r.replacement.apply(m)));
                any = true;
            }
            if (any) {
                m.appendTail(sb);
                key = sb.toString();
            }
        }
        return key;
    }
}
