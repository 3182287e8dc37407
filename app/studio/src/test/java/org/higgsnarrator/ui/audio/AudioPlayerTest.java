package org.higgsnarrator.ui.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real playback through Java Sound (in CI: ALSA's null device, see src/test/resources/alsa-null.conf). */
class AudioPlayerTest {
    static float[] tone(double seconds) {
        float[] s = new float[(int) (seconds * 24_000)];
        for (int i = 0; i < s.length; i++) s[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 24_000.0));
        return s;
    }

    @Test
    void playsToTheEndAndReportsThePlayhead() throws Exception {
        try (AudioPlayer p = new AudioPlayer()) {
            AtomicReference<Double> last = new AtomicReference<>(0.0);
            CountDownLatch end = new CountDownLatch(1);
            long t0 = System.nanoTime();
            p.play(tone(0.6), 24_000, 0.2, last::set, end::countDown);
            assertTrue(end.await(5, TimeUnit.SECONDS), "playback did not end");
            double wall = (System.nanoTime() - t0) / 1e9;
            assertEquals(0.6, last.get(), 0.01, "playhead at the end");
            assertTrue(wall >= 0.3, "0.4 s of audio played in " + wall + " s: not real time");
        }
    }

    @Test
    void stopEndsPlaybackEarly() throws Exception {
        try (AudioPlayer p = new AudioPlayer()) {
            AtomicReference<Double> last = new AtomicReference<>(0.0);
            CountDownLatch end = new CountDownLatch(1);
            p.play(tone(5), 24_000, 0, last::set, end::countDown);
            Thread.sleep(300);
            assertTrue(p.isPlaying());
            p.stop();
            assertTrue(end.await(2, TimeUnit.SECONDS));
            assertTrue(last.get() < 2.0, "stopped at " + last.get());
        }
    }
}
