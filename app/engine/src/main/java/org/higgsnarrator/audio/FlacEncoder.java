package org.higgsnarrator.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A small, lossless FLAC encoder: fixed blocks of 4096 frames, channels coded independently, each subframe the
 * cheapest of CONSTANT, FIXED predictors of order 0–4 with partitioned Rice residuals, or VERBATIM. No LPC, so files
 * are some 5–15 % larger than {@code flac -5} makes them, but every decoder reads them (checked against jFLAC,
 * {@code flac -t} and ffmpeg in the tests). Written here because the only Java FLAC encoder on Maven Central
 * (javaFlacEncoder 0.3.x) has been unmaintained since 2014.
 */
final class FlacEncoder {
    private static final int BLOCK = 4096;
    private static final int MAX_RICE_PARAM = 14;    // 4-bit parameters; 15 is the escape code
    private static final int MAX_PARTITION_ORDER = 8;

    private FlacEncoder() {}

    /** Encodes {@code clip} quantised to {@code bits} (16 or 24) bits per sample. */
    static void write(AudioClip clip, int bits, OutputStream out) throws IOException {
        write(clip.channels(), clip.sampleRate(), clip.frames(), () -> FloatReader.of(clip.samples()), bits, out);
    }

    /**
     * Encodes {@code frames} interleaved frames read block by block, in constant memory whatever the length: one pass
     * for STREAMINFO's MD5, one for the audio frames (so {@code samples} is opened twice).
     */
    static void write(int channels, int rate, long frames, FloatReader.Source samples, int bits, OutputStream out) throws IOException {
        if (bits != 16 && bits != 24) throw new IllegalArgumentException("FLAC bits must be 16 or 24, got " + bits);
        if (channels > 8) throw new IllegalArgumentException("FLAC holds at most 8 channels, got " + channels);
        float[] block = new float[BLOCK * channels];
        int[][] pcm = new int[channels][BLOCK];
        MessageDigest md5 = md5();
        byte[] le = new byte[bits / 8];
        try (FloatReader in = samples.open()) {
            for (long start = 0; start < frames; start += BLOCK) {
                int n = (int) Math.min(BLOCK, frames - start);
                in.readFully(block, 0, n * channels, "the audio");
                for (int i = 0; i < n * channels; i++) {
                    int v = WavCodec.quantize(block[i], bits);
                    for (int k = 0; k < le.length; k++) le[k] = (byte) (v >> (8 * k));
                    md5.update(le);
                }
            }
        }
        // STREAMINFO (frame sizes 0 = unknown, allowed by the format)
        BitWriter h = new BitWriter();
        h.bits(0x664C6143L, 32);                              // "fLaC"
        h.bits(1, 1).bits(0, 7).bits(34, 24);                  // last metadata block, type STREAMINFO, length
        h.bits(BLOCK, 16).bits(BLOCK, 16).bits(0, 24).bits(0, 24);
        h.bits(rate, 20).bits(channels - 1, 3).bits(bits - 1, 5).bits(frames, 36);
        for (byte b : md5.digest()) h.bits(b & 0xFF, 8);
        out.write(h.toByteArray());

        try (FloatReader in = samples.open()) {
            long frameNo = 0;
            for (long start = 0; start < frames; start += BLOCK, frameNo++) {
                int n = (int) Math.min(BLOCK, frames - start);
                in.readFully(block, 0, n * channels, "the audio");
                for (int i = 0; i < n; i++) for (int c = 0; c < channels; c++) pcm[c][i] = WavCodec.quantize(block[i * channels + c], bits);
                out.write(frame(pcm, 0, n, frameNo, rate, bits));
            }
        }
    }

    private static byte[] frame(int[][] pcm, int start, int n, long frameNo, int rate, int bits) {
        BitWriter w = new BitWriter();
        w.bits(0xFFF8, 16);                                    // sync, reserved 0, fixed-blocksize stream
        int rateCode = rateCode(rate);
        w.bits(7, 4).bits(rateCode, 4);                        // block size: 16-bit (n-1) follows
        w.bits(pcm.length - 1, 4).bits(bits == 16 ? 4 : 6, 3).bits(0, 1);
        utf8(w, frameNo);
        w.bits(n - 1, 16);
        if (rateCode == 12) w.bits(rate / 1000, 8);
        else if (rateCode == 13) w.bits(rate, 16);
        else if (rateCode == 14) w.bits(rate / 10, 16);
        w.bits(crc8(w.toByteArray()), 8);
        for (int[] ch : pcm) subframe(w, ch, start, n, bits);
        w.alignToByte();
        byte[] body = w.toByteArray();
        int crc = crc16(body);
        byte[] outBytes = java.util.Arrays.copyOf(body, body.length + 2);
        outBytes[body.length] = (byte) (crc >> 8);
        outBytes[body.length + 1] = (byte) crc;
        return outBytes;
    }

    private static int rateCode(int rate) {
        return switch (rate) {
            case 88200 -> 1; case 176400 -> 2; case 192000 -> 3; case 8000 -> 4; case 16000 -> 5; case 22050 -> 6;
            case 24000 -> 7; case 32000 -> 8; case 44100 -> 9; case 48000 -> 10; case 96000 -> 11;
            default -> rate % 1000 == 0 && rate / 1000 < 256 ? 12 : rate < 65536 ? 13 : rate % 10 == 0 && rate / 10 < 65536 ? 14 : 0;
        };
    }

    /** FLAC's UTF-8-style coding of the frame number. */
    private static void utf8(BitWriter w, long v) {
        if (v < 0x80) { w.bits(v, 8); return; }
        int extra = v < 0x800 ? 1 : v < 0x10000 ? 2 : v < 0x200000 ? 3 : v < 0x4000000 ? 4 : 5;
        w.bits((0xFF00 >> (extra + 1)) & 0xFF | (v >> (6 * extra)), 8);
        for (int i = extra - 1; i >= 0; i--) w.bits(0x80 | ((v >> (6 * i)) & 0x3F), 8);
    }

    private static void subframe(BitWriter w, int[] ch, int start, int n, int bits) {
        boolean constant = true;
        for (int i = 1; i < n && constant; i++) constant = ch[start + i] == ch[start];
        if (constant) {
            w.bits(0, 1).bits(0, 6).bits(0, 1).signed(ch[start], bits);
            return;
        }
        long best = (long) n * bits;                           // VERBATIM cost
        int bestOrder = -1;
        Residual bestRes = null;
        for (int order = 0; order <= 4 && order < n; order++) {
            Residual r = Residual.of(ch, start, n, order);
            long cost = (long) order * bits + r.bits;
            if (cost < best) { best = cost; bestOrder = order; bestRes = r; }
        }
        if (bestOrder < 0) {
            w.bits(0, 1).bits(1, 6).bits(0, 1);
            for (int i = 0; i < n; i++) w.signed(ch[start + i], bits);
            return;
        }
        w.bits(0, 1).bits(8 | bestOrder, 6).bits(0, 1);
        for (int i = 0; i < bestOrder; i++) w.signed(ch[start + i], bits);
        bestRes.write(w);
    }

    /** Fixed-predictor residual of one block with the cheapest Rice partitioning. */
    private static final class Residual {
        final long[] u;        // zig-zag mapped residuals, index 0 = sample `order`
        final int order, n, partitionOrder;
        final int[] params;
        final long bits;

        private Residual(long[] u, int order, int n, int partitionOrder, int[] params, long bits) {
            this.u = u; this.order = order; this.n = n; this.partitionOrder = partitionOrder; this.params = params; this.bits = bits;
        }

        static Residual of(int[] x, int s, int n, int order) {
            long[] u = new long[n - order];
            for (int i = order; i < n; i++) {
                long xi = x[s + i];
                long r = switch (order) {
                    case 0 -> xi;
                    case 1 -> xi - x[s + i - 1];
                    case 2 -> xi - 2L * x[s + i - 1] + x[s + i - 2];
                    case 3 -> xi - 3L * x[s + i - 1] + 3L * x[s + i - 2] - x[s + i - 3];
                    default -> xi - 4L * x[s + i - 1] + 6L * x[s + i - 2] - 4L * x[s + i - 3] + x[s + i - 4];
                };
                u[i - order] = r >= 0 ? 2 * r : -2 * r - 1;
            }
            long bestBits = Long.MAX_VALUE;
            int bestP = 0;
            int[] bestParams = null;
            for (int p = 0; p <= MAX_PARTITION_ORDER; p++) {
                if (n % (1 << p) != 0 || (n >> p) <= order) break;
                int parts = 1 << p, len = n >> p;
                int[] params = new int[parts];
                long total = 2 + 4;                            // coding method, partition order
                for (int k = 0, from = 0; k < parts; k++) {
                    int to = (k + 1) * len - order;
                    long sum = 0;
                    for (int i = from; i < to; i++) sum += u[i];
                    int cnt = to - from;
                    long bestPart = Long.MAX_VALUE;
                    for (int param = 0; param <= MAX_RICE_PARAM; param++) {
                        long c = 4 + (long) cnt * (param + 1) + (sum >> param);   // estimate of Σ(u >> param)
                        if (c < bestPart) { bestPart = c; params[k] = param; }
                    }
                    total += bestPart;
                    from = to;
                }
                if (total < bestBits) { bestBits = total; bestP = p; bestParams = params; }
            }
            return new Residual(u, order, n, bestP, bestParams, bestBits);
        }

        void write(BitWriter w) {
            w.bits(0, 2).bits(partitionOrder, 4);
            int len = n >> partitionOrder;
            for (int k = 0, from = 0; k < params.length; k++) {
                int to = (k + 1) * len - order, param = params[k];
                w.bits(param, 4);
                for (int i = from; i < to; i++) {
                    w.unary(u[i] >>> param);
                    if (param > 0) w.bits(u[i] & ((1L << param) - 1), param);
                }
                from = to;
            }
        }
    }

    /** MSB-first bit packer. */
    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        private long acc;
        private int n;            // bits in acc

        BitWriter bits(long v, int count) {
            for (int left = count; left > 0; ) {
                int take = Math.min(left, 32);
                left -= take;
                acc = (acc << take) | ((v >>> left) & ((1L << take) - 1));
                n += take;
                while (n >= 8) { n -= 8; out.write((int) (acc >>> n)); }
            }
            return this;
        }

        BitWriter signed(int v, int count) {
            return bits(v & ((1L << count) - 1), count);
        }

        void unary(long zeros) {
            for (long z = zeros; z > 0; ) {
                int take = (int) Math.min(z, 32);
                bits(0, take);
                z -= take;
            }
            bits(1, 1);
        }

        void alignToByte() {
            if (n > 0) bits(0, 8 - n);
        }

        byte[] toByteArray() {
            if (n != 0) {
                BitWriter copy = new BitWriter();
                copy.out.writeBytes(out.toByteArray());
                copy.acc = acc;
                copy.n = n;
                copy.alignToByte();
                return copy.out.toByteArray();
            }
            return out.toByteArray();
        }
    }

    static int crc8(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int i = 0; i < 8; i++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
        }
        return crc;
    }

    static int crc16(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 8;
            for (int i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
        }
        return crc;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
