package org.higgsnarrator.audio;

/**
 * A gentle downward expander (a noise gate with a range): the background between phrases is turned down by at most
 * a given depth, speech is left as it is. Used by ACX mastering, whose noise-floor limit (-60 dB) a home recording
 * often misses by 5-10 dB once it is gained up to -20 dB RMS.
 *
 * <p>Offline and linked across channels. The level is measured in {@link AudioOptions#trimFrameSeconds} frames;
 * frames more than {@link AudioOptions#expanderOpenAboveNoiseDb} above the background (its 10th-percentile frame) are
 * untouched, quieter frames are expanded 1:{@link AudioOptions#expanderRatio} down to {@code -depthDb}. The gain then
 * opens {@link AudioOptions#expanderLookaheadSeconds} before and stays open {@link AudioOptions#expanderHoldSeconds}
 * after any louder frame (onsets and word endings are never cut), is smoothed over
 * {@link AudioOptions#expanderSmoothSeconds} and interpolated between frame centres, so it never clicks.
 */
public final class Expander {
    private Expander() {}

    /**
     * @param audio              the expanded audio
     * @param backgroundDb       the background level the threshold was set from (dB, before expansion)
     * @param thresholdDb        frames above this were left alone
     * @param depthDb            the most any frame was turned down
     * @param attenuatedFraction share of the frames turned down by more than 1 dB
     */
    public record Result(AudioClip audio, double backgroundDb, double thresholdDb, double depthDb, double attenuatedFraction) {}

    public static Result expand(AudioClip in, double depthDb, AudioOptions o) {
        int hop = Math.max(1, (int) Math.round(o.trimFrameSeconds() * in.sampleRate()));
        double[] level = LoudnessMeter.frameLevelsDb(in, o);
        double background = LoudnessMeter.backgroundDb(in, o);
        double threshold = background + o.expanderOpenAboveNoiseDb();
        int n = level.length;
        if (n == 0 || depthDb <= 0) return new Result(in, background, threshold, 0, 0);

        double[] target = new double[n];
        for (int f = 0; f < n; f++)
            target[f] = level[f] >= threshold ? 0 : Math.max(-depthDb, (o.expanderRatio() - 1) * (level[f] - threshold));
        // open early and hold: a frame gets the most open gain of the frames around it
        int hold = (int) Math.round(o.expanderHoldSeconds() / o.trimFrameSeconds());
        int look = (int) Math.round(o.expanderLookaheadSeconds() / o.trimFrameSeconds());
        double[] open = new double[n];
        for (int f = 0; f < n; f++) {
            double g = -depthDb;
            for (int k = Math.max(0, f - hold), end = Math.min(n - 1, f + look); k <= end; k++) g = Math.max(g, target[k]);
            open[f] = g;
        }
        int half = (int) Math.round(o.expanderSmoothSeconds() / o.trimFrameSeconds() / 2);
        double[] gainDb = new double[n];
        int attenuated = 0;
        for (int f = 0; f < n; f++) {
            double sum = 0;
            int count = 0;
            for (int k = Math.max(0, f - half), end = Math.min(n - 1, f + half); k <= end; k++, count++) sum += open[k];
            gainDb[f] = sum / count;
            if (gainDb[f] < -1) attenuated++;
        }

        // per sample: interpolate the gain between frame centres; samples past the last whole frame keep its gain
        int c = in.channels();
        float[] s = in.samples(), out = new float[s.length];
        for (int i = 0, frames = in.frames(); i < frames; i++) {
            double pos = (i + 0.5) / hop - 0.5;
            int f0 = (int) Math.floor(pos);
            double g;
            if (f0 < 0) g = gainDb[0];
            else if (f0 >= n - 1) g = gainDb[n - 1];
            else g = gainDb[f0] + (pos - f0) * (gainDb[f0 + 1] - gainDb[f0]);
            float lin = (float) LoudnessMeter.fromDb(g);
            for (int ch = 0; ch < c; ch++) out[i * c + ch] = s[i * c + ch] * lin;
        }
        return new Result(new AudioClip(out, in.sampleRate(), c), background, threshold, depthDb, attenuated / (double) n);
    }
}
