package org.higgsnarrator.audio;

import java.util.List;
import java.util.Locale;

/** Delivery loudness specifications: what {@link Mastering} aims for and what {@link #check} requires. */
public enum MasteringPreset {
    /**
     * ACX (Audible) audiobook submission: RMS -23…-18 dB, sample peak ≤ -3 dBFS, noise floor ≤ -60 dB,
     * 0.5–1 s room tone at the head and 1–5 s at the tail of each chapter; delivered as 192 kbps CBR 44.1 kHz MP3.
     */
    ACX("ACX audiobook", -20.0, -3.0, -3.5),
    /** Podcast (Apple/Spotify practice): integrated loudness -16 LUFS (±1 LU), true peak ≤ -1 dBTP. */
    PODCAST("podcast", -16.0, -1.0, -1.5);

    private final String label;
    private final double target;       // ACX: RMS dB; podcast: LUFS
    private final double peakLimitDb;  // ACX: sample peak dBFS; podcast: true peak dBTP
    private final double ceilingDbtp;  // limiter ceiling, with margin under the requirement

    MasteringPreset(String label, double target, double peakLimitDb, double ceilingDbtp) {
        this.label = label;
        this.target = target;
        this.peakLimitDb = peakLimitDb;
        this.ceilingDbtp = ceilingDbtp;
    }

    /** The highest peak allowed: sample peak in dBFS for ACX, true peak in dBTP for podcast. */
    public double peakLimitDb() {
        return peakLimitDb;
    }

    public String label() {
        return label;
    }

    /** The level mastering aims for: RMS dB for ACX, integrated LUFS for podcast. */
    public double target() {
        return target;
    }

    /** The true-peak ceiling the limiter holds, a margin below the requirement (MP3 encoding adds overs). */
    public double ceilingDbtp() {
        return ceilingDbtp;
    }

    /** The quantity {@link #target} refers to: RMS dB (ACX) or integrated LUFS (podcast). */
    public double level(AudioClip clip) {
        return this == ACX ? LoudnessMeter.rmsDb(clip) : LoudnessMeter.integratedLufs(clip);
    }

    public static MasteringPreset parse(String s) {
        for (MasteringPreset p : values()) if (p.name().equalsIgnoreCase(s)) return p;
        throw new IllegalArgumentException("unknown preset '" + s + "': use acx or podcast");
    }

    public ComplianceReport check(String subject, Loudness l) {
        double inf = Double.POSITIVE_INFINITY;
        List<ComplianceReport.Check> checks = switch (this) {
            case ACX -> List.of(
                    new ComplianceReport.Check("RMS level", l.rmsDb(), "dB", -23, -18),
                    new ComplianceReport.Check("Peak level", l.peakDb(), "dBFS", -inf, peakLimitDb),
                    new ComplianceReport.Check("Noise floor", l.noiseFloorDb(), "dB", -inf, -60),
                    // ACX Check measures the quietest 0.5 s, which is the room tone once it is added; the noise between
                    // phrases is heard too, so it is checked on its own (NaN, no programme, fails)
                    new ComplianceReport.Check("Noise floor, programme", l.programmeNoiseDb(), "dB", -inf, -60),
                    new ComplianceReport.Check("Room tone at head", l.headSilenceSeconds(), "s", 0.5, 1.0),
                    new ComplianceReport.Check("Room tone at tail", l.tailSilenceSeconds(), "s", 1.0, 5.0));
            case PODCAST -> List.of(
                    new ComplianceReport.Check("Integrated loudness", l.integratedLufs(), "LUFS", -17, -15),
                    new ComplianceReport.Check("True peak", l.truePeakDb(), "dBTP", -inf, peakLimitDb));
        };
        return new ComplianceReport(subject, this, l, checks);
    }

    public ComplianceReport check(String subject, AudioClip clip, AudioOptions o) {
        return check(subject, LoudnessMeter.measure(clip, o));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
