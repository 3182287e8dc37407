package org.higgsnarrator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Streaming-read bandwidth of main memory: the ceiling of autoregressive decoding, which reads every weight once per
 * step. Each thread sums its own array (far larger than the caches) with independent accumulators; the best of
 * several passes counts. The result is a lower bound of what the hardware can do (a JIT-compiled loop, no
 * non-temporal hints), comparable across runs on the same machine.
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {}

    /**
     * @param bytesPerSecond streaming-read bandwidth
     * @param threads     reader threads
     * @param arrayBytes  bytes read per pass (all threads)
     */
    public record Result(double bytesPerSecond, int threads, long arrayBytes) {}

    /**
     * @param totalBytes bytes to stream per pass, split between the threads (use several times the last-level cache)
     * @param threads    reader threads
     * @param passes     timed passes; the fastest counts
     */
    public static Result measure(long totalBytes, int threads, int passes) {
        int perThread = Math.toIntExact(Math.max(1 << 20, totalBytes / threads / Long.BYTES));
        List<long[]> arrays = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            long[] a = new long[perThread];
            for (int i = 0; i < a.length; i++) a[i] = i * 0x9E3779B97F4A7C15L; // touch every page, defeat zero-page tricks
            arrays.add(a);
        }
        long bytes = (long) perThread * Long.BYTES * threads;
        long sink = 0;
        double best = Double.MAX_VALUE;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, r -> Thread.ofPlatform().daemon().unstarted(r))) {
            for (int warm = 0; warm < 2; warm++) sink += pass(pool, arrays); // JIT + page warm-up
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                sink += pass(pool, arrays);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
        }
        if (sink == 42) System.out.print(""); // keep the sums alive
        return new Result(bytes / best, threads, bytes);
    }

    private static long pass(ExecutorService pool, List<long[]> arrays) {
        List<Future<Long>> fs = new ArrayList<>();
        for (long[] a : arrays) fs.add(pool.submit((Callable<Long>) () -> sum(a)));
        long s = 0;
        try {
            for (Future<Long> f : fs) s += f.get();
        } catch (Exception e) {
            throw new IllegalStateException("bandwidth pass failed", e);
        }
        return s;
    }

    private static long sum(long[] a) {
        long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < a.length; i++) s0 += a[i];
        return s0 + s1 + s2 + s3;
    }
}
