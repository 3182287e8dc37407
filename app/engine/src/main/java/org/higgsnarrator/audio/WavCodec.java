package org.higgsnarrator.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RIFF/WAVE reading and writing, done here rather than through javax.sound because javax.sound rejects
 * WAVE_FORMAT_EXTENSIBLE and 64-bit float files that ordinary recorders produce.
 * Reads PCM 8/16/24/32-bit and IEEE float 32/64-bit, plain or EXTENSIBLE, any rate and channel count.
 */
final class WavCodec {
    private static final int PCM = 1, FLOAT = 3, EXTENSIBLE = 0xFFFE;

    private WavCodec() {}

    static boolean looksLikeWav(byte[] head) {
        return head.length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE");
    }

    static AudioClip read(Path file, byte[] bytes) throws AudioFileException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (!looksLikeWav(bytes)) throw new AudioFileException(file, "not a RIFF/WAVE file", "Use a WAV, FLAC or MP3 file");
        int format = -1, channels = 0, rate = 0, bits = 0, blockAlign = 0;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > bytes.length)
                    throw new AudioFileException(file, "WAV 'fmt ' chunk is truncated", "The file is damaged; export it again");
                format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                blockAlign = Short.toUnsignedInt(b.getShort(body + 12));
                bits = Short.toUnsignedInt(b.getShort(body + 14));
                if (format == EXTENSIBLE && size >= 40 && body + 26 <= bytes.length)
                    format = Short.toUnsignedInt(b.getShort(body + 24));   // first two bytes of the sub-format GUID
            } else if (id.equals("data")) {
                if (format < 0) throw new AudioFileException(file, "WAV 'data' chunk comes before 'fmt '", "The file is damaged; export it again");
                // streaming writers leave the size as 0 or 0xFFFFFFFF: take what is there
                long avail = bytes.length - body;
                int len = (int) ((size == 0 || size > avail) ? avail : size);
                return decode(file, b, body, len, format, channels, rate, bits, blockAlign);
            }
            pos = (int) Math.min(bytes.length, body + size + (size & 1));   // chunks are padded to even length
        }
        throw new AudioFileException(file, format < 0 ? "WAV file has no 'fmt ' chunk" : "WAV file has no 'data' chunk",
                "The file is damaged or empty; record or export it again");
    }

    private static AudioClip decode(Path file, ByteBuffer b, int off, int len, int format, int channels, int rate,
                                    int bits, int blockAlign) throws AudioFileException {
        if (channels <= 0 || rate <= 0)
            throw new AudioFileException(file, "WAV header says " + channels + " channels at " + rate + " Hz", "The file is damaged; export it again");
        boolean isFloat = format == FLOAT;
        if (!(format == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) && !(isFloat && (bits == 32 || bits == 64)))
            throw new AudioFileException(file, "unsupported WAV encoding (format tag " + format + ", " + bits + " bits)",
                    "Convert it to 16/24-bit PCM or 32-bit float WAV, or to FLAC");
        int bytesPer = bits / 8;
        int frameBytes = Math.max(blockAlign, bytesPer * channels);
        int frames = len / frameBytes;
        if (frames == 0) throw new AudioFileException(file, "WAV file contains no audio samples", "Record or export the clip again");
        float[] s = new float[frames * channels];
        for (int f = 0; f < frames; f++) {
            int p = off + f * frameBytes;
            for (int c = 0; c < channels; c++, p += bytesPer) {
                float v = switch (bits) {
                    case 8 -> ((b.get(p) & 0xFF) - 128) / 128f;
                    case 16 -> b.getShort(p) / 32768f;
                    case 24 -> ((b.get(p) & 0xFF) | (b.get(p + 1) & 0xFF) << 8 | b.get(p + 2) << 16) / 8388608f;
                    case 32 -> isFloat ? b.getFloat(p) : (float) (b.getInt(p) / 2147483648.0);
                    default -> (float) b.getDouble(p);
                };
                if (!Float.isFinite(v))
                    throw new AudioFileException(file, "WAV file contains a non-finite sample (NaN/Inf) at frame " + f, "The file is damaged; export it again");
                s[f * channels + c] = v;
            }
        }
        return new AudioClip(s, rate, channels);
    }

    /** Writes PCM with {@code bits} = 16 or 24 (rounded, clamped to full scale) or 32-bit float when bits = 32. */
    static void write(AudioClip clip, int bits, OutputStream out) throws IOException {
        header(clip.samples().length, clip.sampleRate(), clip.channels(), bits, out);
        ByteBuffer buf = ByteBuffer.allocate(bytesPer(bits) * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : clip.samples()) put(buf, v, bits, out);
        out.write(buf.array(), 0, buf.position());
    }

    /**
     * Writes {@code frames} interleaved frames read block by block (a book or a long-form render's float file), in
     * constant memory whatever the length.
     */
    static void write(int channels, int sampleRate, long frames, FloatReader.Source samples, int bits, OutputStream out) throws IOException {
        long left = frames * channels;
        header(left, sampleRate, channels, bits, out);
        ByteBuffer buf = ByteBuffer.allocate(bytesPer(bits) * 4096).order(ByteOrder.LITTLE_ENDIAN);
        float[] block = new float[8192];
        try (FloatReader in = samples.open()) {
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                in.readFully(block, 0, n, "the audio");
                for (int i = 0; i < n; i++) put(buf, block[i], bits, out);
                left -= n;
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    private static int bytesPer(int bits) {
        if (bits != 16 && bits != 24 && bits != 32) throw new IllegalArgumentException("WAV bits must be 16, 24 or 32 (float), got " + bits);
        return bits / 8;
    }

    private static void header(long samples, int sampleRate, int channels, int bits, OutputStream out) throws IOException {
        int bytesPer = bytesPer(bits);
        long dataLen = samples * bytesPer;
        if (dataLen > 0xFFFFFFFFL - 36) {
            throw new IOException("audio too long for a WAV file (" + samples / channels / (double) sampleRate + " s, WAV holds 4 GB); use FLAC");
        }
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataLen))
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) (bits == 32 ? FLOAT : PCM)).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * bytesPer).putShort((short) (channels * bytesPer)).putShort((short) bits)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataLen);
        out.write(h.array());
    }

    private static void put(ByteBuffer buf, float v, int bits, OutputStream out) throws IOException {
        if (bits == 32) buf.putFloat(v);
        else {
            int q = quantize(v, bits);
            if (bits == 16) buf.putShort((short) q);
            else buf.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
        }
        if (!buf.hasRemaining()) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
    }

    /** Rounds to a signed {@code bits}-bit integer, clamping to the representable range. */
    static int quantize(float v, int bits) {
        double scale = 1L << (bits - 1);
        long q = Math.round(v * scale);
        return (int) Math.max(-(long) scale, Math.min((long) scale - 1, q));
    }

    private static boolean ascii(byte[] b, int off, String s) {
        for (int i = 0; i < s.length(); i++) if (b[off + i] != s.charAt(i)) return false;
        return true;
    }
}
