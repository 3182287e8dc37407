package org.higgsnarrator.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.checkpoint.TokenizerSpecials;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.export.onnx.OnnxGraph;
import org.higgsnarrator.pkg.GraphIo;
import org.higgsnarrator.pkg.PackageManifest;
import org.higgsnarrator.pkg.PackageManifest.FileEntry;
import org.higgsnarrator.pkg.PackageManifest.GraphSpec;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.tensors.ShardedSafeTensors;

/**
 * Checkpoint folder → model package (docs/model-package.md). Everything is written into a temporary folder beside
 * the output and moved into place at the end, manifest last, so a failed or interrupted export never leaves
 * something that looks like a package. Weights stream from the memory-mapped checkpoint to the weight file in row
 * blocks: the heap never holds a whole matrix.
 */
public final class Exporter {
    public static final String WEIGHTS_FILE = "model.weights";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /** Progress callback: a stage message and bytes of checkpoint tensors converted so far. */
    public interface Progress {
        void report(String message, long doneBytes, long totalBytes);

        Progress SILENT = (m, d, t) -> {};
    }

    /** Extra graphs contributed to the package (the codec helper's encoder/decoder). */
    public interface PackagePart {
        /** Writes its files into {@code dir}; returns role → graph. */
        Map<String, GraphSpec> write(Path dir, Progress progress);

        org.higgsnarrator.config.CodecConfig codecConfig();

        /** Where the part comes from (hub repo@commit), for the manifest's source; null if unknown. */
        default String source() {
            return null;
        }
    }

    /**
     * The audio tokenizer (codec) of {@code --codec DIR} as a package part: its encoder and decoder graphs. The
     * architecture is read now, so a wrong folder fails before the long generation-model conversion starts.
     */
    public static PackagePart codecPart(Path codecDir, ExportOptions options) {
        org.higgsnarrator.config.CodecConfig config = org.higgsnarrator.export.codec.CodecExporter.readConfig(codecDir);
        return new PackagePart() {
            @Override
            public Map<String, GraphSpec> write(Path dir, Progress progress) {
                progress.report("converting the audio tokenizer " + codecDir, 0, 0);
                return org.higgsnarrator.export.codec.CodecExporter.export(codecDir, dir).graphs();
            }

            @Override
            public org.higgsnarrator.config.CodecConfig codecConfig() {
                return config;
            }

            @Override
            public String source() {
                var hub = org.higgsnarrator.models.HubClient.readSource(codecDir);
                return hub == null ? null : hub.label();
            }
        };
    }

    public record Result(Path dir, PackageManifest manifest) {}

    /**
     * The manifest's {@code source}: the hub repository and commit of the checkpoint (and of the audio tokenizer) when
     * they were downloaded by {@link org.higgsnarrator.models.HubClient} (its {@code .narrator-source.json}), else the
     * checkpoint folder's name; then the layout.
     */
    static String source(Path checkpoint, org.higgsnarrator.checkpoint.CheckpointConfigReader.Layout layout, List<PackagePart> parts) {
        var hub = org.higgsnarrator.models.HubClient.readSource(checkpoint);
        StringBuilder sb = new StringBuilder(hub != null ? hub.label() : String.valueOf(checkpoint.toAbsolutePath().normalize().getFileName()));
        sb.append(" (").append(layout.name().toLowerCase(java.util.Locale.ROOT)).append(" layout)");
        for (PackagePart p : parts) {
            String s = p.source();
            if (s != null) sb.append("; audio tokenizer ").append(s);
        }
        return sb.toString();
    }

    private Exporter() {}

    public static Result export(Path checkpoint, Path tokenizer, Path out, ExportOptions opt, List<PackagePart> parts, Progress progress) {
        if (tokenizer == null && Files.isRegularFile(checkpoint.resolve(TOKENIZER_FILE))) tokenizer = checkpoint.resolve(TOKENIZER_FILE);
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw new ExportException(tokenizer + ": tokenizer file not found; pass --tokenizer with the release's tokenizer.json");
        }
        Path parent = prepareOutput(out, opt.overwrite());
        Map<String, Integer> specials = tokenizer == null ? Map.of() : TokenizerSpecials.read(tokenizer);
        CheckpointConfigReader.Result cr = CheckpointConfigReader.read(checkpoint.resolve("config.json"), specials);
        ModelConfig cfg = cr.config();
        int maxContext = Math.min(opt.maxContext(), cfg.maxPositionEmbeddings());
        if (opt.precision().quantized()) {
            for (int kdim : new int[] {cfg.hiddenSize(), cfg.numHeads() * cfg.headDim(), cfg.intermediateSize(), cfg.audioFfnIntermediateSize()}) {
                if (kdim % opt.blockSize() != 0) {
                    throw new ExportException("--block-size " + opt.blockSize() + " does not divide the matrix input width " + kdim + "; choose a block size that does (e.g. 32)");
                }
            }
        }

        Path tmp;
        try {
            tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".partial-");
        } catch (IOException e) {
            throw new ExportException("cannot create a folder in " + parent + " (" + e.getMessage() + "); choose a writable --out location", e);
        }
        boolean ok = false;
        try (ShardedSafeTensors src = ShardedSafeTensors.open(checkpoint)) {
            CheckpointWeights weights = new CheckpointWeights(src, cr.layout(), cfg);
            weights.validateAll();
            for (String u : weights.unused()) progress.report("skipping unused tensor " + u, 0, 0);

            Map<String, FileEntry> files = new TreeMap<>();
            Map<String, WeightEncoder.Stored> plain = new LinkedHashMap<>();
            Map<String, WeightEncoder.Quantized> quant = new LinkedHashMap<>();
            writeWeights(weights, cfg, opt, maxContext, tmp.resolve(WEIGHTS_FILE), plain, quant, files, progress);

            HiggsGraphs graphs = new HiggsGraphs(cfg, plain, quant, WEIGHTS_FILE, opt.precision(), opt.accuracyLevel(), opt.gqaRotary());
            Map<String, GraphSpec> specs = new LinkedHashMap<>();
            for (GraphIo.Role role : new GraphIo.Role[] {GraphIo.Role.PREFILL, GraphIo.Role.DECODE_STEP}) {
                String file = role.fileName();
                progress.report("writing graph " + file, 1, 1);
                ModelProto m = graphs.build(role);
                writeProto(m, tmp.resolve(file));
                files.put(file, entry(tmp.resolve(file)));
                specs.put(role.id(), graphs.spec(file, role));
            }
            String tokName = null;
            if (tokenizer != null) {
                Files.copy(tokenizer, tmp.resolve(TOKENIZER_FILE));
                files.put(TOKENIZER_FILE, entry(tmp.resolve(TOKENIZER_FILE)));
                tokName = TOKENIZER_FILE;
            }
            org.higgsnarrator.config.CodecConfig codec = null;
            for (PackagePart part : parts) {
                Map<String, GraphSpec> extra = part.write(tmp, progress);
                specs.putAll(extra);
                codec = part.codecConfig();
                try (var s = Files.walk(tmp)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        String rel = tmp.relativize(f).toString().replace('\\', '/');
                        if (!files.containsKey(rel)) files.put(rel, entry(f));
                    }
                }
            }
            String name = opt.name() != null ? opt.name() : checkpoint.toAbsolutePath().normalize().getFileName().toString();
            PackageManifest manifest = new PackageManifest(PackageManifest.FORMAT_VERSION, name, opt.randomWeights(), opt.precision(),
                    cfg, codec, specs, tokName, PackageManifest.SamplingDefaults.release(), files,
                    source(checkpoint, cr.layout(), parts),
                    maxContext, opt.precision().quantized() ? opt.blockSize() : 0);
            Files.writeString(tmp.resolve(PackageManifest.FILE_NAME), PackageManifest.GSON.toJson(manifest));
            // createTempDirectory made it owner-only; a package is an ordinary shareable folder
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            moveIntoPlace(tmp, out);
            ok = true;
            progress.report("package written to " + out, 1, 1);
            return new Result(out, manifest);
        } catch (IOException e) {
            throw new ExportException("export failed writing into " + tmp + ": " + e + " (disk full or not writable?)", e);
        } finally {
            if (!ok) deleteTree(tmp);
        }
    }

    private static void writeWeights(CheckpointWeights w, ModelConfig cfg, ExportOptions opt, int maxContext, Path file,
                                     Map<String, WeightEncoder.Stored> plain, Map<String, WeightEncoder.Quantized> quant,
                                     Map<String, FileEntry> files, Progress progress) {
        Precision p = opt.precision();
        DataType act = OnnxGraph.dataType(p.activationType());
        DataType matrix = OnnxGraph.dataType(p.matrixType());
        DataType embedding = OnnxGraph.dataType(p.embeddingType());
        List<String> names = CheckpointWeights.requiredNames(cfg);
        long total = 0;
        for (String n : names) total += w.get(n).parts().stream().mapToLong(x -> x.info().byteSize()).sum();
        long done = 0;
        try (WeightFileWriter out = new WeightFileWriter(file)) {
            WeightEncoder enc = new WeightEncoder(out);
            float[][] rope = RopeTables.compute(cfg, maxContext);
            long[] ropeDims = {maxContext, cfg.headDim() / 2};
            // in the activation type: GQA's own rotary takes them as its cos/sin caches (HiggsGraphs)
            plain.put("rope.cos", enc.floats("rope.cos", rope[0], ropeDims, act));
            plain.put("rope.sin", enc.floats("rope.sin", rope[1], ropeDims, act));
            for (String n : names) {
                if (HiggsGraphs.stackedLater(n)) continue; // written with the first matrix of its stack
                SourceTensor t = w.get(n);
                progress.report("converting " + n + " " + t.shapeString(), done, total);
                List<String> stack = HiggsGraphs.stackOpenedBy(n);
                if (stack != null) {
                    // [q | k | v] and [gate | up] as one matrix each (HiggsGraphs: one matrix multiplication instead of
                    // three or two), each member times its factor (HiggsGraphs.stackFactors: the attention scale in q's rows)
                    List<SourceTensor> parts = new ArrayList<>();
                    for (String member : stack) parts.add(member.equals(n) ? t : w.get(member));
                    MatrixRows m = new MatrixRows.Stacked(parts, HiggsGraphs.stackFactors(n, cfg, p));
                    String stored = HiggsGraphs.stackedName(n);
                    if (p.quantized()) quant.put(stored, enc.quantized(m, stored, p.bits(), opt.blockSize(), OnnxGraph.dataType(p.scaleType())));
                    else plain.put(stored, enc.transposed(m, stored + ".T", matrix));
                    for (SourceTensor part : parts) done += release(part);
                    continue;
                }
                if (n.endsWith("embeddings.weight") || n.equals("embed_tokens.weight")) {
                    plain.put(n, enc.plain(t, n, embedding));
                } else if (t.shape().length == 1) {
                    plain.put(n, enc.plain(t, n, act));
                } else if (n.equals("audio_decoder_proj.audio_lm_head.weight")) {
                    // the head is read whole every decode step (8 × 1026 × hidden): 8 bits in the quantized packages
                    // (Precision.headBits; KL measured in docs/converter.md), float32 otherwise
                    if (p.headBits() > 0) quant.put(n, enc.quantized(t, n, p.headBits(), opt.blockSize()));
                    else plain.put(n, enc.transposed(t, n + ".T", DataType.FLOAT));
                } else if (p.quantized()) {
                    quant.put(n, enc.quantized(t, n, p.bits(), opt.blockSize(), OnnxGraph.dataType(p.scaleType())));
                } else {
                    plain.put(n, enc.transposed(t, n + ".T", matrix));
                }
                done += release(t);
            }
            progress.report("weights converted", total, total);
            String sha = out.finish();
            files.put(WEIGHTS_FILE, new FileEntry(out.size(), sha));
        }
    }

    /**
     * Drops a converted tensor's checkpoint pages from this process's resident set (they were read once and stay in the
     * page cache only as long as the kernel likes: keeps RSS flat on a 16 GB machine); returns its bytes, for progress.
     */
    private static long release(SourceTensor t) {
        for (SourceTensor.Part part : t.parts()) {
            if (part.data().isMapped()) part.data().unload();
        }
        return t.parts().stream().mapToLong(x -> x.info().byteSize()).sum();
    }

    /** Revision of the generated graphs: a cached conversion made with another one must be redone. */
    public static int graphRevision() {
        return HiggsGraphs.REVISION;
    }

    /** Checks where the package goes before any work is done; returns the parent folder. */
    static Path prepareOutput(Path out, boolean overwrite) {
        Path abs = out.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) throw new ExportException("--out " + out + " has no parent folder");
        if (Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new ExportException("--out " + out + ": " + parent + " is a file, not a folder; choose another --out");
        }
        if (!Files.isDirectory(parent)) {
            throw new ExportException("--out " + out + ": the folder " + parent + " does not exist; create it first");
        }
        if (!Files.isWritable(parent)) {
            throw new ExportException("--out " + out + ": the folder " + parent + " is not writable; choose another location or fix its permissions");
        }
        if (Files.exists(abs)) {
            boolean empty;
            try (var s = Files.list(abs)) {
                empty = s.findAny().isEmpty();
            } catch (IOException e) {
                throw new ExportException("--out " + out + " exists and is not a readable folder", e);
            }
            if (!empty && !overwrite) {
                throw new ExportException("--out " + out + " already exists and is not empty; remove it, choose another folder, or pass --force");
            }
        }
        return parent;
    }

    private static void moveIntoPlace(Path tmp, Path out) throws IOException {
        Path abs = out.toAbsolutePath().normalize();
        Path old = null;
        if (Files.exists(abs)) {
            old = abs.resolveSibling("." + abs.getFileName() + ".old-" + System.nanoTime());
            Files.move(abs, old);
        }
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, abs);
        }
        if (old != null) deleteTree(old);
    }

    private static void writeProto(ModelProto m, Path f) throws IOException {
        try (OutputStream os = Files.newOutputStream(f)) {
            m.writeTo(os);
        }
    }

    static FileEntry entry(Path f) {
        return new FileEntry(size(f), sha256(f));
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path f) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 20];
            while (in.read(buf) >= 0) {
                // digest as we go
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (AccessDeniedException e) {
            throw new ExportException(f + ": not readable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover ".partial-" folder never looks like a package (no manifest)
        }
    }
}
