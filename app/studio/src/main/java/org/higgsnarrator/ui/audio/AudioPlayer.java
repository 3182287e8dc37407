package org.higgsnarrator.ui.audio;

import java.util.function.DoubleConsumer;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * Plays mono float samples through Java Sound on a daemon thread, reporting the playhead (seconds, from the line's
 * own frame position so it follows what is heard). Machines without an audio device get a clear exception from
 * {@link #play} instead of silence.
 */
public final class AudioPlayer implements AutoCloseable {
    /** Little-endian signed 16-bit PCM, what the output line plays (and the key prepared voices are cached under). */
    public static byte[] pcm16(float[] samples) {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            int v = Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767f);
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    private volatile Thread thread;
    private volatile boolean stop;

    /**
     * Starts playback at {@code fromSeconds}. {@code onPosition} is called from the playback thread about every
     * 40 ms, {@code onEnd} once when playback ends or is stopped.
     */
    public void play(float[] samples, int rate, double fromSeconds, DoubleConsumer onPosition, Runnable onEnd) throws LineUnavailableException {
        stop();
        AudioFormat fmt = new AudioFormat(rate, 16, 1, true, false);
        SourceDataLine line;
        try {
            line = AudioSystem.getSourceDataLine(fmt);
            line.open(fmt, rate / 5 * 2);
        } catch (IllegalArgumentException | SecurityException e) {
            throw new LineUnavailableException("No audio output device (" + e.getMessage() + ")");
        }
        int start = (int) Math.max(0, Math.min(samples.length, Math.round(fromSeconds * rate)));
        stop = false;
        Thread t = new Thread(() -> {
            try {
                line.start();
                int block = rate / 25;
                long lastReport = 0, written = 0, t0 = System.nanoTime();
                for (int i = start; i < samples.length && !stop; i += block) {
                    // Stay at most 200 ms ahead of the clock: some outputs (ALSA's null device) never block.
                    while (!stop && written - elapsedFrames(t0, rate) > rate / 5) sleep(10);
                    int n = Math.min(block, samples.length - i);
                    float[] chunk = new float[n];
                    System.arraycopy(samples, i, chunk, 0, n);
                    byte[] b = pcm16(chunk);
                    line.write(b, 0, b.length);
                    written += n;
                    long now = System.nanoTime();
                    if (now - lastReport > 40_000_000L) {
                        onPosition.accept((start + Math.min(line.getLongFramePosition(), elapsedFrames(t0, rate))) / (double) rate);
                        lastReport = now;
                    }
                }
                if (!stop) {
                    line.drain();
                    onPosition.accept(samples.length / (double) rate);
                } else {
                    onPosition.accept((start + Math.min(written, Math.min(line.getLongFramePosition(), elapsedFrames(t0, rate)))) / (double) rate);
                }
            } finally {
                line.stop();
                line.close();
                onEnd.run();
            }
        }, "studio-playback");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private static long elapsedFrames(long t0, int rate) {
        return (System.nanoTime() - t0) * rate / 1_000_000_000L;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isPlaying() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    public void stop() {
        stop = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public void close() {
        stop();
    }
}
