package org.higgsnarrator.export.codec;

import org.higgsnarrator.config.ReferencePipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.higgsnarrator.tensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code model.pth} layout, without torch: the test writes a PyTorch zip checkpoint itself (data.pkl
 * with pickle protocol 2 + data/N storages) holding the kit's codec under the official names, with weight norm split
 * into (g, v) pairs, then converts it and checks it against the same goldens as the transformers layout.
 */
class OfficialLayoutTest {
    @TempDir
    Path tmp;

    static Path kit() {
        return Path.of(System.getProperty("narrator.kit.root", "../shared/conformance")).resolve("tiny");
    }

    @Test
    void officialCheckpointConvertsToTheSameCodec() throws IOException {
        convertsToTheSameCodec(false);
    }

    /** A model.safetensors holding Boson's own names (as the hub repo may now carry) is detected by its names and mapped. */
    @Test
    void officialNamesInASafetensorsFileConvertToTheSameCodec() throws IOException {
        convertsToTheSameCodec(true);
    }

    @Test
    void unknownNamingIsRefusedWithBothNamings() {
        var e = assertThrows(CodecExportException.class, () -> CodecWeights.naming(List.of("foo.weight", "bar.bias"), "x.safetensors"));
        assertTrue(e.getMessage().contains("acoustic_encoder") && e.getMessage().contains("decoder_2"), e.getMessage());
        assertEquals(CodecWeights.Naming.OFFICIAL, CodecWeights.naming(List.of("encoder.block.0.weight_g", "fc_prior.weight"), "x"));
        assertEquals(CodecWeights.Naming.TRANSFORMERS, CodecWeights.naming(List.of("acoustic_encoder.conv1.bias", "fc.weight"), "x"));
    }

    private void convertsToTheSameCodec(boolean safetensors) throws IOException {
        Path dir = tmp.resolve("official");
        Files.createDirectories(dir);
        Map<String, Tensor> official = new LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(kit().resolve("codec-hf/model.safetensors"))) {
            for (String n : f.names()) {
                TensorInfo i = f.info(n);
                Tensor t = new Tensor(i.shape().clone(), f.floats(n));
                if (n.startsWith("decoder_semantic.")) continue; // unused by inference; keeps the file small
                if (n.endsWith(".parametrizations.weight.original0")) {
                    official.put(n.replace(".parametrizations.weight.original0", ".weight_g"), t);
                } else if (n.endsWith(".parametrizations.weight.original1")) {
                    official.put(n.replace(".parametrizations.weight.original1", ".weight_v"), t);
                } else if (n.startsWith("acoustic_") && n.endsWith(".weight")) {
                    String base = hfToOfficial(n.substring(0, n.length() - ".weight".length()));
                    Tensor[] gv = splitWeightNorm(t);
                    official.put(base + ".weight_g", gv[0]);
                    official.put(base + ".weight_v", gv[1]);
                } else {
                    official.put(hfToOfficial(n), t);
                }
            }
        }
        if (safetensors) {
            List<org.higgsnarrator.export.SafeTensorsWriter.Entry> entries = new java.util.ArrayList<>();
            official.forEach((n, t) -> entries.add(new org.higgsnarrator.export.SafeTensorsWriter.Entry(n, org.higgsnarrator.tensors.DType.F32, t.shape(), ch -> {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(t.data().length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float v : t.data()) b.putFloat(v);
                b.flip();
                while (b.hasRemaining()) ch.write(b);
            })));
            org.higgsnarrator.export.SafeTensorsWriter.write(dir.resolve("model.safetensors"), entries, Map.of());
        } else {
            writePth(dir.resolve("model.pth"), official, "fc_prior.weight");
        }
        Files.writeString(dir.resolve("config.json"), """
                {"n_filters": 32, "D": 16, "target_bandwidths": [0.5, 1, 1.5, 2], "ratios": [8, 5, 4, 2, 3],
                 "sample_rate": 24000, "bins": 1024, "n_q": 8, "codebook_dim": 8,
                 "semantic_techer": "hubert_base_general", "last_layer_semantic": true, "merge_mode": "concat",
                 "downsample_mode": "step_down", "semantic_mode": "classic", "vq_scale": 1,
                 "semantic_model_config": {"num_attention_heads": 2}}
                """);

        // every official name maps back onto a transformers name of the kit
        try (CodecWeights w = CodecWeights.open(dir); SafeTensorsFile f = SafeTensorsFile.open(kit().resolve("codec-hf/model.safetensors"))) {
            for (String n : w.names()) {
                if (n.startsWith("semantic_model.encoder.pos_conv_embed.conv.weight")) continue;
                assertTrue(f.names().contains(n), "mapped name not in the kit: " + n);
            }
            Tensor folded = w.get("acoustic_decoder.block.0.conv_t1.weight");
            float[] want = f.floats("acoustic_decoder.block.0.conv_t1.weight");
            for (int i = 0; i < want.length; i++) assertEquals(want[i], folded.data()[i], 1e-6, "weight norm fold at " + i);
        }

        Path out = tmp.resolve("pkg");
        CodecExporter.Result r = CodecExporter.export(dir, out, ReferencePipeline.TRANSFORMERS); // compared with transformers' goldens
        assertEquals(960, r.config().hopLength());
        try (SafeTensorsFile golden = SafeTensorsFile.open(kit().resolve("golden/tensors.safetensors"));
             AudioCodec codec = AudioCodec.open(r.config(), out.resolve(CodecExporter.ENCODER_FILE), out.resolve(CodecExporter.DECODER_FILE),
                     new AudioCodec.Options(2))) {
            int[][] codes = CodecExportTest.codes0(golden, "codec.codes");
            float[] wave = codec.decode(codes);
            assertTrue(CodecExportTest.maxAbs(wave, golden.floats("codec.wave_out")) <= CodecExportTest.WAVE_TOL);
            int[][] enc = codec.encode(golden.floats("codec.wave_in"));
            for (int k = 0; k < codes.length; k++) assertArrayEquals(codes[k], enc[k], "codebook " + k);
        }
    }

    @Test
    void unpicklerRefusesCode() throws IOException {
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        pkl.write(new byte[] {(byte) 0x80, 2});
        pkl.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        pkl.write('(');
        binunicode(pkl, "echo pwned");
        pkl.write('t');
        pkl.write('R');
        pkl.write('.');
        Path p = tmp.resolve("evil.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pkl.toByteArray());
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TorchPth.open(p));
        assertTrue(e.getMessage().contains("refusing to load global 'os.system'"), e.getMessage());
    }

    @Test
    void missingWeightsNameTheTensor() throws IOException {
        Path dir = tmp.resolve("partial");
        Files.createDirectories(dir);
        writePth(dir.resolve("model.pth"), Map.of("fc_prior.weight", new Tensor(new long[] {2, 2}, new float[4])), null);
        CodecExportException e = assertThrows(CodecExportException.class, () -> CodecExporter.export(dir, tmp.resolve("o")));
        assertTrue(e.getMessage().contains("HuBERT") || e.getMessage().contains("missing"), e.getMessage());
    }

    // ---- official names (inverse of CodecWeights.OFFICIAL_TO_HF) -----------------------------------------------------

    static String hfToOfficial(String n) {
        String[] inner = {"snake1", "conv1", "snake2", "conv2"};
        Matcher m;
        if ((m = Pattern.compile("^acoustic_encoder\\.block\\.(\\d+)\\.res_unit(\\d)\\.(\\w+)(.*)$").matcher(n)).matches()) {
            return "encoder.block." + (Integer.parseInt(m.group(1)) + 1) + ".block." + (Integer.parseInt(m.group(2)) - 1) + ".block."
                    + List.of(inner).indexOf(m.group(3)) + m.group(4);
        }
        if ((m = Pattern.compile("^acoustic_encoder\\.block\\.(\\d+)\\.(snake1|conv1)(.*)$").matcher(n)).matches()) {
            return "encoder.block." + (Integer.parseInt(m.group(1)) + 1) + ".block." + (m.group(2).equals("snake1") ? 3 : 4) + m.group(3);
        }
        if ((m = Pattern.compile("^acoustic_decoder\\.block\\.(\\d+)\\.res_unit(\\d)\\.(\\w+)(.*)$").matcher(n)).matches()) {
            return "decoder_2.model." + (Integer.parseInt(m.group(1)) + 1) + ".block." + (Integer.parseInt(m.group(2)) + 1) + ".block."
                    + List.of(inner).indexOf(m.group(3)) + m.group(4);
        }
        if ((m = Pattern.compile("^acoustic_decoder\\.block\\.(\\d+)\\.(snake1|conv_t1)(.*)$").matcher(n)).matches()) {
            return "decoder_2.model." + (Integer.parseInt(m.group(1)) + 1) + ".block." + (m.group(2).equals("snake1") ? 0 : 1) + m.group(3);
        }
        n = n.replaceFirst("^acoustic_encoder\\.conv1", "encoder.block.0").replaceFirst("^acoustic_encoder\\.snake1", "encoder.block.6")
                .replaceFirst("^acoustic_encoder\\.conv2", "encoder.block.7").replaceFirst("^acoustic_decoder\\.conv1", "decoder_2.model.0")
                .replaceFirst("^acoustic_decoder\\.snake1", "decoder_2.model.6").replaceFirst("^acoustic_decoder\\.conv2", "decoder_2.model.7")
                .replaceFirst("^quantizer\\.quantizers", "quantizer.vq.layers").replace(".codebook.", "._codebook.")
                .replaceFirst("^fc\\.", "fc_prior.").replaceFirst("^fc1\\.", "fc_post1.").replaceFirst("^fc2\\.", "fc_post2.");
        if (n.startsWith("encoder_semantic.")) {
            n = n.replaceAll("\\.conv\\.(weight|bias)$", ".conv.conv.$1").replaceAll("\\.conv1\\.weight$", ".conv1.conv.weight")
                    .replaceAll("\\.conv2\\.weight$", ".conv2.conv.weight");
        }
        return n;
    }

    /** w → (g = ‖w‖ over dims 1.., v = w·s) with a per-row scale s, so folding must really divide by ‖v‖. */
    static Tensor[] splitWeightNorm(Tensor w) {
        int rows = w.dim(0), per = w.data().length / rows;
        float[] g = new float[rows], v = new float[w.data().length];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < per; i++) s += (double) w.data()[r * per + i] * w.data()[r * per + i];
            g[r] = (float) Math.sqrt(s);
            float scale = 0.5f + r % 3;
            for (int i = 0; i < per; i++) v[r * per + i] = w.data()[r * per + i] * scale;
        }
        long[] gs = new long[w.rank()];
        java.util.Arrays.fill(gs, 1);
        gs[0] = rows;
        return new Tensor[] {new Tensor(gs, g), new Tensor(w.shape().clone(), v)};
    }

    // ---- a minimal torch.save writer --------------------------------------------------------------------------------

    /**
     * Writes {@code torch.save(OrderedDict)} as torch ≥ 1.6 does: zip with {@code archive/data.pkl} (protocol 2,
     * tensors as {@code _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())}) and one
     * {@code archive/data/N} entry per storage. {@code transposed} (if not null) is stored column-major to exercise
     * strides.
     */
    static void writePth(Path file, Map<String, Tensor> tensors, String transposed) throws IOException {
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        List<byte[]> storages = new ArrayList<>();
        pkl.write(new byte[] {(byte) 0x80, 2});
        global(pkl, "collections", "OrderedDict");
        pkl.write(')');
        pkl.write('R');
        pkl.write('(');
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            binunicode(pkl, e.getKey());
            long[] size = t.shape();
            long[] stride = new long[size.length];
            float[] data = t.data();
            if (e.getKey().equals(transposed) && size.length == 2) {
                int r = (int) size[0], c = (int) size[1];
                float[] colMajor = new float[data.length];
                for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) colMajor[j * r + i] = data[i * c + j];
                data = colMajor;
                stride[0] = 1;
                stride[1] = r;
            } else {
                long s = 1;
                for (int d = size.length - 1; d >= 0; d--) {
                    stride[d] = s;
                    s *= size[d];
                }
            }
            ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data);
            storages.add(b.array());
            global(pkl, "torch._utils", "_rebuild_tensor_v2");
            pkl.write('(');
            // persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
            pkl.write('(');
            binunicode(pkl, "storage");
            global(pkl, "torch", "FloatStorage");
            binunicode(pkl, Integer.toString(storages.size() - 1));
            binunicode(pkl, "cpu");
            binint(pkl, data.length);
            pkl.write('t');
            pkl.write('Q');
            binint(pkl, 0);
            tuple(pkl, size);
            tuple(pkl, stride);
            pkl.write(0x89); // requires_grad False
            global(pkl, "collections", "OrderedDict");
            pkl.write(')');
            pkl.write('R');
            pkl.write('t');
            pkl.write('R');
        }
        pkl.write('u');
        pkl.write('.');
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pkl.toByteArray());
            for (int i = 0; i < storages.size(); i++) {
                z.putNextEntry(new ZipEntry("archive/data/" + i));
                z.write(storages.get(i));
            }
            z.putNextEntry(new ZipEntry("archive/version"));
            z.write("3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    static void global(ByteArrayOutputStream o, String module, String name) throws IOException {
        o.write('c');
        o.write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    static void binunicode(ByteArrayOutputStream o, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.write('X');
        o.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        o.write(b);
    }

    static void binint(ByteArrayOutputStream o, long v) throws IOException {
        o.write('J');
        o.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    static void tuple(ByteArrayOutputStream o, long[] v) throws IOException {
        o.write('(');
        for (long x : v) binint(o, x);
        o.write('t');
    }
}
