package org.higgsnarrator.tensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsFileTest {
    @TempDir
    Path dir;

    /** Writes a file by the format's definition: u64 LE header length, JSON header, data. */
    static Path write(Path p, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return Files.write(p, b.array());
    }

    static byte[] floatsLE(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    @Test
    void readsF32Bf16AndI64() throws IOException {
        byte[] f32 = floatsLE(1.5f, -2f, 3.25f, 0f);
        // bf16 of 1.0 = 0x3F80, of -0.5 = 0xBF00
        byte[] bf16 = {(byte) 0x80, 0x3F, 0x00, (byte) 0xBF};
        ByteBuffer i64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-3);
        byte[] data = new byte[16 + 4 + 16];
        System.arraycopy(f32, 0, data, 0, 16);
        System.arraycopy(bf16, 0, data, 16, 4);
        System.arraycopy(i64.array(), 0, data, 20, 16);
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[16,20]},"
                + "\"c\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[20,36]}}";
        try (SafeTensorsFile f = SafeTensorsFile.open(write(dir.resolve("m.safetensors"), header, data))) {
            assertEquals(3, f.names().size());
            assertArrayEquals(new long[] {2, 2}, f.info("a").shape());
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 0f}, f.floats("a"));
            assertArrayEquals(new float[] {1f, -0.5f}, f.floats("b"));
            assertArrayEquals(new long[] {7, -3}, f.longs("c"));
            assertEquals("pt", f.metadata().get("format"));
        }
    }

    @Test
    void truncatedFileNamesTheTensorAndSaysDownloadAgain() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        Path p = write(dir.resolve("t.safetensors"), header, floatsLE(1, 2)); // only 8 of 16 bytes
        var e = assertThrows(TensorFileException.class, () -> SafeTensorsFile.open(p));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void badHeaderLengthAndBadJsonAreReported() throws IOException {
        Path junk = Files.write(dir.resolve("junk.safetensors"), "this is not a tensor file at all".getBytes(StandardCharsets.UTF_8));
        var e1 = assertThrows(TensorFileException.class, () -> SafeTensorsFile.open(junk));
        assertTrue(e1.getMessage().contains("header length"), e1.getMessage());
        Path badJson = write(dir.resolve("bad.safetensors"), "{not json", new byte[0]);
        var e2 = assertThrows(TensorFileException.class, () -> SafeTensorsFile.open(badJson));
        assertTrue(e2.getMessage().contains("not valid JSON"), e2.getMessage());
    }

    @Test
    void missingTensorSuggestsTheClosestName() throws IOException {
        String header = "{\"layers.0.mlp.up_proj.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        try (SafeTensorsFile f = SafeTensorsFile.open(write(dir.resolve("m.safetensors"), header, floatsLE(1)))) {
            var e = assertThrows(TensorFileException.class, () -> f.info("layers.0.mlp.up_proj.weights"));
            assertTrue(e.getMessage().contains("closest name present: 'layers.0.mlp.up_proj.weight'"), e.getMessage());
        }
    }

    @Test
    void shardedIndexResolvesTensorsAndReportsAMissingShard() throws IOException {
        write(dir.resolve("model-00001-of-00002.safetensors"), "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floatsLE(3));
        write(dir.resolve("model-00002-of-00002.safetensors"), "{\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floatsLE(4, 5));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\":{},\"weight_map\":{\"x\":\"model-00001-of-00002.safetensors\",\"y\":\"model-00002-of-00002.safetensors\"}}");
        try (ShardedSafeTensors s = ShardedSafeTensors.open(dir)) {
            assertEquals(2, s.names().size());
            assertArrayEquals(new float[] {4, 5}, s.floats("y"));
        }
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        var e = assertThrows(TensorFileException.class, () -> ShardedSafeTensors.open(dir));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors") && e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void readsTheConformanceKitGoldens() {
        Path kit = Path.of(System.getProperty("narrator.kit.root", "../../../shared/conformance"), "tiny/golden/tensors.safetensors");
        try (SafeTensorsFile f = SafeTensorsFile.open(kit)) {
            TensorInfo codes = f.info("codec.codes");
            assertEquals(DType.I64, codes.dtype());
            assertEquals(3, codes.rank());
            long[] c = f.longs("codec.codes");
            assertTrue(Arrays.stream(c).allMatch(v -> v >= 0 && v < 1024), "codes are in 0..1023");
        }
    }
}
