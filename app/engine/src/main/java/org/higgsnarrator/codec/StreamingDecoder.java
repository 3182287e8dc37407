package org.higgsnarrator.codec;

import java.util.Arrays;

/**
 * Decodes codes while they are generated, so playback can start before generation ends. The decoder is a stack of
 * convolutions, so the samples of frames [a, b) depend only on frames [a − c, b + c) where c is the receptive field
 * ({@code CodecConfig.decoderContextFrames}, computed by the converter). Each call decodes one chunk plus c frames
 * of context each side (fewer at the stream's ends, exactly as the full decode sees them) and keeps the chunk's
 * samples, so the concatenated output equals {@link AudioCodec#decode} of all frames up to float rounding.
 *
 * <p>Latency: the first samples come out once {@code firstChunk + c} frames have arrived (the first chunk is short
 * so playback starts early). Cost: each later chunk decodes {@code chunk + 2c} frames, i.e.
 * {@code (chunk + 2c) / chunk} times the work of one full decode.
 *
 * <p>One instance per stream; not thread-safe (the underlying {@link AudioCodec} may be shared).
 */
public final class StreamingDecoder {
    /** Default length of the first chunk: 5 frames (200 ms), so audio starts after 5 + c frames. */
    public static final int DEFAULT_FIRST_CHUNK_FRAMES = 5;

    private final AudioCodec codec;
    private final int firstChunk;
    private final int chunk;
    private final int context;
    private final int numCodebooks;
    /** Received frames not yet dropped: codes[k][i] is frame {@code base + i}. */
    private int[][] codes;
    private int base;
    private int received;
    private int emitted;

    /** Chunk and context from the codec's config, first chunk {@link #DEFAULT_FIRST_CHUNK_FRAMES}. */
    public StreamingDecoder(AudioCodec codec) {
        this(codec, Math.min(DEFAULT_FIRST_CHUNK_FRAMES, codec.config().streamChunkFrames()), codec.config().streamChunkFrames(),
                codec.config().decoderContextFrames());
    }

    /** Every chunk the same size. */
    public StreamingDecoder(AudioCodec codec, int chunkFrames, int contextFrames) {
        this(codec, chunkFrames, chunkFrames, contextFrames);
    }

    /**
     * @param firstChunkFrames frames of the first decode call (≥ 1): small for an early start of playback
     * @param chunkFrames      frames emitted per later decode call (≥ 1)
     * @param contextFrames    frames of context each side; below the receptive field the output is not exact
     */
    public StreamingDecoder(AudioCodec codec, int firstChunkFrames, int chunkFrames, int contextFrames) {
        if (firstChunkFrames < 1 || chunkFrames < 1) throw new IllegalArgumentException("chunk sizes must be ≥ 1, got " + firstChunkFrames + ", " + chunkFrames);
        if (contextFrames < 0) throw new IllegalArgumentException("contextFrames must be ≥ 0, got " + contextFrames);
        this.codec = codec;
        this.firstChunk = firstChunkFrames;
        this.chunk = chunkFrames;
        this.context = contextFrames;
        this.numCodebooks = codec.config().numCodebooks();
        this.codes = new int[numCodebooks][64];
    }

    /**
     * A stream that continues one stopped after {@code emittedFrames} frames had been returned as samples (a resumed
     * render): {@code tail} [Q][n] holds the stream's frames from {@code tailStart} to the last one received, and must
     * reach back to {@code emittedFrames − context} (or the stream's start). The samples it returns from here on are
     * the ones the uninterrupted stream would have returned: each later decode call sees the same frames.
     */
    public static StreamingDecoder resumed(AudioCodec codec, int[][] tail, long tailStart, long emittedFrames) {
        StreamingDecoder d = new StreamingDecoder(codec);
        int n = tail.length == 0 ? 0 : tail[0].length;
        if (tailStart > Math.max(0, emittedFrames - d.context) || emittedFrames > tailStart + n) {
            throw new IllegalArgumentException("to resume after frame " + emittedFrames + " the tail must start by frame "
                    + Math.max(0, emittedFrames - d.context) + " and reach it; got frames " + tailStart + ".." + (tailStart + n));
        }
        d.base = Math.toIntExact(tailStart);
        d.received = Math.toIntExact(tailStart);
        d.emitted = Math.toIntExact(emittedFrames);
        if (n > 0) {
            d.ensureCapacity(n);
            for (int k = 0; k < d.numCodebooks; k++) System.arraycopy(tail[k], 0, d.codes[k], 0, n);
            d.received += n;
        }
        return d;
    }

    /** Frames of context each side of a decode call: how far back a resumed stream's tail must reach. */
    public int contextFrames() {
        return context;
    }

    /** Frames received so far. */
    public int receivedFrames() {
        return received;
    }

    /** Adds frames [Q][n] (delay pattern already reverted) and returns whatever samples are now final (maybe none). */
    public float[] push(int[][] frames) {
        int n = codec.checkCodes(frames);
        ensureCapacity(received - base + n);
        for (int k = 0; k < numCodebooks; k++) System.arraycopy(frames[k], 0, codes[k], received - base, n);
        received += n;
        float[] out = new float[0];
        while (received - emitted >= nextChunk() + context) out = concat(out, emit(emitted + nextChunk()));
        return out;
    }

    /** Adds one frame of Q codes. */
    public float[] pushFrame(int[] frame) {
        int[][] f = new int[frame.length][1];
        for (int k = 0; k < frame.length; k++) f[k][0] = frame[k];
        return push(f);
    }

    /** No more frames: returns the remaining samples. */
    public float[] finish() {
        float[] out = new float[0];
        while (emitted < received) out = concat(out, emit(Math.min(received, emitted + nextChunk())));
        return out;
    }

    /** Frames that must have arrived before the first samples come out. */
    public int startLatencyFrames() {
        return firstChunk + context;
    }

    private int nextChunk() {
        return emitted == 0 ? firstChunk : chunk;
    }

    /** Frames whose samples have been returned so far. */
    public int emittedFrames() {
        return emitted;
    }

    private float[] emit(int end) {
        int from = Math.max(0, emitted - context), to = Math.min(received, end + context);
        float[] wave = codec.decodeRange(codes, from - base, to - base);
        int hop = codec.config().hopLength();
        float[] out = Arrays.copyOfRange(wave, (emitted - from) * hop, (end - from) * hop);
        emitted = end;
        dropConsumed();
        return out;
    }

    /** Frames before {@code emitted − context} are never needed again. */
    private void dropConsumed() {
        int drop = Math.max(0, emitted - context) - base;
        if (drop < 256) return;
        for (int k = 0; k < numCodebooks; k++) System.arraycopy(codes[k], drop, codes[k], 0, received - base - drop);
        base += drop;
    }

    private void ensureCapacity(int n) {
        if (n <= codes[0].length) return;
        int cap = Math.max(n, codes[0].length * 2);
        for (int k = 0; k < numCodebooks; k++) codes[k] = Arrays.copyOf(codes[k], cap);
    }

    private static float[] concat(float[] a, float[] b) {
        if (a.length == 0) return b;
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
