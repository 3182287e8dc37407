package org.higgsnarrator.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Brings a chapter to a {@link MasteringPreset}: trims the silence at both ends, gains it to the preset's target
 * (RMS for ACX, integrated loudness for podcast), limits peaks to the preset's true-peak ceiling, and for ACX puts
 * room tone at the head and tail. Gain and limiting are repeated on measurement until the target is met, because
 * limiting lowers the level it was gained to.
 */
public final class Mastering {
    private Mastering() {}

    /**
     * @param audio  the mastered chapter (same rate and channels as the input)
     * @param report the mastered chapter checked against the preset
     * @param gainDb gain applied before limiting
     * @param notes  what was done and anything the user should know
     */
    public record Result(AudioClip audio, ComplianceReport report, double gainDb, List<String> notes) {}

    public static Result master(AudioClip in, MasteringPreset preset, String subject) {
        return master(in, preset, subject, AudioOptions.DEFAULTS);
    }

    public static Result master(AudioClip in, MasteringPreset preset, String subject, AudioOptions o) {
        List<String> notes = new ArrayList<>();
        int rate = in.sampleRate();
        int[] sound = LoudnessMeter.soundRange(in, o);
        if (sound[1] <= sound[0]) throw new IllegalArgumentException(subject + ": the audio is silent; there is nothing to master");
        int pad = (int) Math.round(o.trimPadSeconds() * rate);
        AudioClip body = in.slice(Math.max(0, sound[0] - pad), Math.min(in.frames(), sound[1] + pad));

        int head = 0, tail = 0;
        if (preset == MasteringPreset.ACX) {
            head = Math.max(0, (int) Math.round(o.roomToneHeadSeconds() * rate) - (sound[0] - Math.max(0, sound[0] - pad)));
            tail = Math.max(0, (int) Math.round(o.roomToneTailSeconds() * rate) - (Math.min(in.frames(), sound[1] + pad) - sound[1]));
        }
        // Room tone should sound like the recording's own background, or the cut is audible and the noise-floor check
        // would measure our clean padding instead of the recording: take the background between the input's words
        // after gain, but no quieter than roomToneDb and no louder than -50 dB.
        double inputNoiseDb = LoudnessMeter.backgroundDb(in, o);

        double ceiling = preset.ceilingDbtp();
        double gainDb = preset.target() - preset.level(pad(body, head, tail, Double.NaN));
        if (!Double.isFinite(gainDb)) throw new IllegalArgumentException(subject + ": the audio is too quiet to measure its loudness");
        if (preset == MasteringPreset.ACX) {
            // ACX's -60 dB floor: a recording whose background between phrases would end above expanderFloorDb after
            // gain gets a downward expander first (at most expanderMaxDepthDb); the room tone then matches the result
            double programmeNoiseDb = LoudnessMeter.backgroundDb(body, o);
            double noiseAfterGainDb = programmeNoiseDb + gainDb;
            double depth = Math.min(o.expanderMaxDepthDb(), noiseAfterGainDb - o.expanderFloorDb());
            if (noiseAfterGainDb > o.expanderMaxBackgroundDb()) {
                notes.add(String.format(java.util.Locale.ROOT, "expander: not used: the background (%.1f dB after gain) is louder than %.0f dB "
                        + "and would be heard under the speech too", noiseAfterGainDb, o.expanderMaxBackgroundDb()));
            } else if (depth >= 1) {
                Expander.Result ex = Expander.expand(body, depth, o);
                body = ex.audio();
                gainDb = preset.target() - preset.level(pad(body, head, tail, Double.NaN));
                inputNoiseDb = noiseAfterGainDb - depth - gainDb;   // the room tone matches the expanded pauses
                notes.add(String.format(java.util.Locale.ROOT,
                        "expander: the background between phrases (%.1f dB after gain) turned down by up to %.1f dB; threshold %.1f dB "
                                + "before gain, 1:%.0f; %.0f %% of the programme attenuated", noiseAfterGainDb, depth, ex.thresholdDb(),
                        o.expanderRatio(), 100 * ex.attenuatedFraction()));
            } else {
                notes.add(String.format(java.util.Locale.ROOT, "expander: not needed (background between phrases %s dB after gain)",
                        Loudness.db(noiseAfterGainDb)));
            }
        }
        float[] envelope = Limiter.peakEnvelope(body, o);                 // the costly part: computed once
        AudioClip out = null;
        Loudness l = null;
        for (int round = 0; round < 3; round++) {
            // gain until the level is on target (cheap to measure), then verify the peaks once (costly)
            for (int it = 0; it < o.masteringIterations(); it++) {
                out = pad(Limiter.limit(body, envelope, LoudnessMeter.fromDb(gainDb), ceiling, o), head, tail, roomToneDb(o, inputNoiseDb + gainDb));
                double levelError = preset.target() - preset.level(out);
                if (Math.abs(levelError) < 0.05 || it == o.masteringIterations() - 1) break;
                gainDb += levelError;
            }
            l = LoudnessMeter.measure(out, o);
            // ACX limits the sample peak; keep its true peak near the ceiling too, as MP3 decoding brings those back
            double peakOver = (preset == MasteringPreset.ACX ? Math.max(l.peakDb(), l.truePeakDb() - 0.5) : l.truePeakDb()) - preset.peakLimitDb();
            if (peakOver <= 0) break;
            ceiling -= peakOver + 0.1;
        }
        if (head + tail > 0)
            notes.add(String.format(java.util.Locale.ROOT, "room tone: %.2f s head, %.2f s tail (%s)", o.roomToneHeadSeconds(), o.roomToneTailSeconds(),
                    Double.isNaN(o.roomToneDb()) ? "digital silence" : String.format(java.util.Locale.ROOT, "noise at %.1f dB RMS", roomToneDb(o, inputNoiseDb + gainDb))));
        if (gainDb > 30) notes.add(String.format(java.util.Locale.ROOT, "the input was very quiet: %.1f dB of gain raised its noise as well", gainDb));
        ComplianceReport report = preset.check(subject, l);
        if (preset == MasteringPreset.ACX)
            notes.add(String.format(java.util.Locale.ROOT, "noise floor: programme %s dB (between words), room tone %s dB, quietest 0.5 s %s dB",
                    Loudness.db(l.programmeNoiseDb()), Loudness.db(l.roomToneNoiseDb()), Loudness.db(l.noiseFloorDb())));
        for (ComplianceReport.Check c : report.failures())
            notes.add("still failing " + c.name() + " (" + Loudness.db(c.measured()) + " " + c.unit() + ", limit " + c.limit() + ")"
                    + (c.name().startsWith("Noise floor") ? ": the recording's background noise is too loud; denoise it or re-record" : ""));
        return new Result(out, report, gainDb, notes);
    }

    private static double roomToneDb(AudioOptions o, double recordingNoiseDb) {
        return Double.isNaN(o.roomToneDb()) ? Double.NaN : Math.max(o.roomToneDb(), Math.min(recordingNoiseDb, -50));
    }

    /** Adds room tone before and after: white noise at {@code levelDb} RMS, or digital silence when NaN. */
    static AudioClip pad(AudioClip body, int head, int tail, double levelDb) {
        if (head == 0 && tail == 0) return body;
        int c = body.channels();
        float[] s = new float[(head + body.frames() + tail) * c];
        System.arraycopy(body.samples(), 0, s, head * c, body.samples().length);
        if (!Double.isNaN(levelDb)) {
            // uniform noise in [-a, a] has RMS a/√3; a fixed seed keeps the output reproducible
            double a = LoudnessMeter.fromDb(levelDb) * Math.sqrt(3);
            SplittableRandom rnd = new SplittableRandom(0x5eed);
            for (int i = 0; i < head * c; i++) s[i] = (float) (a * (2 * rnd.nextDouble() - 1));
            for (int i = (head + body.frames()) * c; i < s.length; i++) s[i] = (float) (a * (2 * rnd.nextDouble() - 1));
        }
        return new AudioClip(s, body.sampleRate(), c);
    }
}
