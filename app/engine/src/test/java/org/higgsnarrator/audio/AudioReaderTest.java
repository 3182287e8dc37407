package org.higgsnarrator.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading real files: WAV variants written byte by byte here, FLAC/MP3/OGG made by our encoders and by ffmpeg. */
class AudioReaderTest {
    @TempDir
    Path dir;

    /** A WAV file built by hand: format tag, bits, channels, optional EXTENSIBLE header, samples as given. */
    static byte[] wav(int formatTag, int bits, int channels, int rate, boolean extensible, double[] interleaved) {
        int bytesPer = bits / 8, dataLen = interleaved.length * bytesPer;
        int fmtLen = extensible ? 40 : 16;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtLen + 8 + dataLen + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(fmtLen).putShort((short) (extensible ? 0xFFFE : formatTag)).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * bytesPer).putShort((short) (channels * bytesPer)).putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) bits).putInt(channels == 2 ? 3 : 4)
                    .putShort((short) formatTag).put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        }
        b.put("LIST".getBytes()).putInt(4).put("INFO".getBytes());   // an unrelated chunk before the data
        b.put("data".getBytes()).putInt(dataLen);
        for (double v : interleaved) {
            switch (formatTag == 3 ? -bits : bits) {
                case 8 -> b.put((byte) (Math.round(v * 127) + 128));
                case 16 -> b.putShort((short) Math.round(v * 32767));
                case 24 -> {
                    int q = (int) Math.round(v * 8388607);
                    b.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
                }
                case 32 -> b.putInt((int) Math.round(v * 2147483647.0));
                case -32 -> b.putFloat((float) v);
                default -> b.putDouble(v);
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    @ParameterizedTest(name = "WAV format {0}, {1} bit, {2} ch, {3} Hz, extensible={4}")
    @CsvSource({"1,8,1,8000,false", "1,16,1,24000,false", "1,16,2,44100,false", "1,24,1,48000,false", "1,24,2,96000,true",
            "1,32,1,22050,false", "3,32,1,48000,false", "3,32,2,44100,true", "3,64,1,16000,false"})
    void readsWavVariants(int tag, int bits, int channels, int rate, boolean ext) throws IOException {
        double[] v = new double[channels * 1000];
        for (int i = 0; i < v.length; i++) v[i] = 0.9 * Math.sin(i * 0.01 + (i % channels));
        Path f = dir.resolve("v.wav");
        Files.write(f, wav(tag, bits, channels, rate, ext, v));
        AudioClip c = AudioReader.read(f);
        assertEquals(rate, c.sampleRate());
        assertEquals(channels, c.channels());
        assertEquals(1000, c.frames());
        double tol = bits == 8 ? 1.0 / 50 : bits == 16 ? 1e-4 : 1e-6;
        for (int i = 0; i < v.length; i++) assertEquals(v[i], c.samples()[i], tol, "sample " + i);
    }

    @Test
    void skipsOddSizedChunksWithTheirPadByte() throws IOException {
        byte[] plain = wav(1, 16, 1, 8000, false, new double[] {0.25, -0.5, 0.75});
        // insert "junk" with 3 bytes of body + 1 pad byte right after the fmt chunk (offset 12 + 8 + 16 = 36)
        byte[] junk = {'j', 'u', 'n', 'k', 3, 0, 0, 0, 9, 9, 9, 0};
        byte[] b = new byte[plain.length + junk.length];
        System.arraycopy(plain, 0, b, 0, 36);
        System.arraycopy(junk, 0, b, 36, junk.length);
        System.arraycopy(plain, 36, b, 36 + junk.length, plain.length - 36);
        AudioClip c = AudioReader.read(Files.write(dir.resolve("odd.wav"), b));
        assertArrayEquals(new float[] {0.25f, -0.5f, 0.75f}, c.samples(), 1e-4f);
    }

    @Test
    void reads8BitFlacMadeByTheFlacTool() throws Exception {
        TestAudio.assumeTool("sox");
        TestAudio.assumeTool("flac");
        Path wav = dir.resolve("u8.wav"), flac = dir.resolve("u8.flac");
        TestAudio.run("sox", "-n", "-r", "16000", "-b", "8", "-e", "unsigned-integer", wav.toString(), "synth", "1", "sine", "440", "vol", "0.5");
        TestAudio.run("flac", "-s", "-f", "-o", flac.toString(), wav.toString());
        assertArrayEquals(AudioReader.read(wav).samples(), AudioReader.read(flac).samples());
    }

    @Test
    void ownWavWriterRoundTrips() throws IOException {
        AudioClip c = AudioClip.ofChannels(new float[][] {TestAudio.sine(300, 0.7, 0.5, 24_000), TestAudio.sine(500, -0.4, 0.5, 24_000)}, 24_000);
        for (int bits : new int[] {16, 24, 32}) {
            AudioClip back = AudioReader.read(TestAudio.writeWav(dir.resolve("w" + bits + ".wav"), c, bits));
            assertEquals(2, back.channels());
            double tol = bits == 16 ? 1.0 / 32768 : bits == 24 ? 1.0 / 8388608 : 0;
            for (int i = 0; i < c.samples().length; i++) assertEquals(c.samples()[i], back.samples()[i], tol);
        }
    }

    @Test
    void readsOwnFlacBitExactly() throws IOException {
        float[] x = TestAudio.speechLike(3.3, 24_000, 5);     // not a multiple of the block size
        AudioClip c = new AudioClip(x, 24_000);
        Path f = dir.resolve("a.flac");
        new AudioExporter().export(c, f, AudioExporter.Format.FLAC);
        AudioClip back = AudioReader.read(f);
        assertEquals(c.frames(), back.frames());
        for (int i = 0; i < x.length; i++) assertEquals(WavCodec.quantize(x[i], 16), Math.round(back.samples()[i] * 32768f), "sample " + i);
    }

    @ParameterizedTest(name = "ffmpeg-made {0}")
    @CsvSource({"flac16.flac,-c:a flac -sample_fmt s16", "flac24.flac,-c:a flac -sample_fmt s32", "lame.mp3,-c:a libmp3lame -b:a 128k",
            "vorbis.ogg,-c:a libvorbis", "opus.ogg,-c:a libopus -b:a 64k", "aac.m4a,-c:a aac -b:a 96k"})
    void readsFilesMadeByFfmpeg(String name, String codecArgs) throws Exception {
        TestAudio.assumeTool("ffmpeg");
        int rate = name.startsWith("opus") ? 48_000 : 44_100;
        Path src = TestAudio.writeWav(dir.resolve("src.wav"), new AudioClip(TestAudio.sine(440, 0.5, 2.0, rate), rate), 32);
        Path f = dir.resolve(name);
        var cmd = TestAudio.args("ffmpeg", "-v", "error", "-nostdin", "-y", "-i", src.toString());
        cmd.addAll(java.util.List.of(codecArgs.split(" ")));
        cmd.add(f.toString());
        TestAudio.run(cmd.toArray(String[]::new));
        AudioClip c = AudioReader.read(f);
        assertEquals(rate, c.sampleRate());
        assertEquals(2.0, c.seconds(), 0.1, "duration");     // MP3/AAC add encoder delay and padding
        // lossy codecs change the level a little (LAME: -0.4 dB here), so compare with ffmpeg's own decoding
        Path ref = dir.resolve("ref.wav");
        TestAudio.run("ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f.toString(), "-c:a", "pcm_f32le", ref.toString());
        float[] r = WavCodec.read(ref, Files.readAllBytes(ref)).samples();
        int mid = c.frames() / 2;
        double amp = TestAudio.amplitudeAt(c.samples(), rate, 440, mid - rate / 4, mid + rate / 4);
        double refAmp = TestAudio.amplitudeAt(r, rate, 440, mid - rate / 4, mid + rate / 4);
        assertEquals(refAmp, amp, refAmp * 0.005, "440 Hz amplitude vs ffmpeg's decoding");
        if (name.endsWith(".flac")) assertEquals(0.5, amp, 1e-4);
    }

    @Test
    void readsMp3MadeByOurExporter() throws IOException {
        Path f = dir.resolve("ours.mp3");
        new AudioExporter().export(new AudioClip(TestAudio.sine(1000, 0.3, 2.0, 24_000), 24_000), f, AudioExporter.Format.MP3);
        AudioClip c = AudioReader.read(f);
        assertEquals(44_100, c.sampleRate());
        int mid = c.frames() / 2;
        assertEquals(0.3, TestAudio.amplitudeAt(c.samples(), 44_100, 1000, mid - 10_000, mid + 10_000), 0.01);
    }

    @Test
    void oggWithoutFfmpegSaysWhatToInstall() throws Exception {
        TestAudio.assumeTool("ffmpeg");
        Path src = TestAudio.writeWav(dir.resolve("src.wav"), new AudioClip(TestAudio.sine(440, 0.5, 1.0, 48_000), 48_000), 16);
        Path ogg = dir.resolve("clip.ogg");
        TestAudio.run("ffmpeg", "-v", "error", "-nostdin", "-i", src.toString(), "-c:a", "libvorbis", ogg.toString());
        String old = System.setProperty("narrator.ffmpeg", dir.resolve("no-such-ffmpeg").toString());
        try {
            AudioFileException e = assertThrows(AudioFileException.class, () -> AudioReader.read(ogg));
            assertTrue(e.getMessage().contains("clip.ogg") && e.getMessage().contains("ffmpeg") && e.getMessage().contains("WAV, FLAC or MP3"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("narrator.ffmpeg");
            else System.setProperty("narrator.ffmpeg", old);
        }
    }

    @Test
    void rejectsWhatIsNotAudioWithAClearMessage() throws IOException {
        assertRejected(Files.write(dir.resolve("empty.wav"), new byte[0]), "empty");
        assertRejected(Files.writeString(dir.resolve("notes.wav"), "Chapter one. It was a dark and stormy night.\n"), "text");
        assertRejected(Files.write(dir.resolve("pic.mp3"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0}), "image");
        assertRejected(Files.write(dir.resolve("noise.flac"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), "not a recognised audio file");
        assertRejected(dir.resolve("missing.wav"), "not found");
        assertRejected(dir, "folder");
        // a WAV cut off inside its header, and one whose data chunk holds no whole frame
        byte[] good = wav(1, 16, 2, 44_100, false, new double[] {0.1, 0.2, 0.3, 0.4});
        assertRejected(Files.write(dir.resolve("cut.wav"), java.util.Arrays.copyOf(good, 30)), "truncated");
        byte[] noFrames = wav(1, 16, 2, 44_100, false, new double[0]);
        assertRejected(Files.write(dir.resolve("noframes.wav"), noFrames), "no audio samples");
        assertRejected(Files.write(dir.resolve("alaw.wav"), wavWithTag(6)), "unsupported WAV encoding");
    }

    private byte[] wavWithTag(int tag) {
        byte[] b = wav(1, 16, 1, 8000, false, new double[] {0.1, 0.2});
        b[20] = (byte) tag;
        return b;
    }

    @Test
    void rejectsDamagedFlacAndMp3() throws Exception {
        Path flac = dir.resolve("ok.flac");
        new AudioExporter().export(new AudioClip(TestAudio.speechLike(2, 24_000, 1), 24_000), flac, AudioExporter.Format.FLAC);
        byte[] b = Files.readAllBytes(flac);
        for (int i = b.length / 3; i < b.length / 3 + 64; i++) b[i] ^= 0x5A;
        assertRejected(Files.write(dir.resolve("damaged.flac"), b), "damaged FLAC");

        byte[] junkMp3 = new byte[4000];
        new java.util.Random(1).nextBytes(junkMp3);
        junkMp3[0] = 'I'; junkMp3[1] = 'D'; junkMp3[2] = '3'; junkMp3[3] = 3; junkMp3[4] = 0; junkMp3[5] = 0;
        junkMp3[6] = 0; junkMp3[7] = 0; junkMp3[8] = 0; junkMp3[9] = 10;
        assertRejected(Files.write(dir.resolve("junk.mp3"), junkMp3), "MP3");
    }

    private static void assertRejected(Path f, String expected) {
        AudioFileException e = assertThrows(AudioFileException.class, () -> AudioReader.read(f), f.toString());
        assertTrue(e.getMessage().contains(f.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message says '" + expected + "': " + e.getMessage());
        assertEquals(f, e.file());
    }

    @Test
    void clipHelpers() {
        AudioClip st = AudioClip.ofChannels(new float[][] {{1, 2, 3}, {3, 4, 5}}, 10);
        assertArrayEquals(new float[] {1, 3, 2, 4, 3, 5}, st.samples());
        assertArrayEquals(new float[] {2, 3, 4}, st.toMono().samples());
        assertArrayEquals(new float[] {4, 5}, st.slice(1, 3).channel(1));
        assertEquals(0.3, st.seconds(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new AudioClip(new float[3], 10, 2));
    }
}
