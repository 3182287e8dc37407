package org.higgsnarrator.audio;

/**
 * Level measurements of one clip. Levels are in dB relative to digital full scale; silence gives -Infinity.
 *
 * @param rmsDb              unweighted RMS over the whole clip (what ACX calls "RMS"; a full-scale sine reads -3 dB)
 * @param peakDb             largest |sample| (dBFS)
 * @param truePeakDb         largest |value| of the 4x oversampled signal (dBTP, ITU-R BS.1770-4 Annex 2)
 * @param integratedLufs     gated, K-weighted integrated loudness (LUFS, ITU-R BS.1770-4 / EBU R128);
 *                           -Infinity when the clip is shorter than one 400 ms block or entirely below -70 LUFS
 * @param noiseFloorDb       RMS of the quietest {@code noiseWindowSeconds} window (dB), as ACX Check measures it
 * @param programmeNoiseDb   the background between words and phrases of the programme (between the room tone at
 *                           head and tail): its 10th-percentile 10 ms frame (dB), so short pauses suffice; NaN if silent
 * @param roomToneNoiseDb    RMS (dB) of the room tone: everything before the first and after the last sound; NaN
 *                           when the sound fills the clip
 * @param headSilenceSeconds time before the first frame that rises above the silence threshold
 * @param tailSilenceSeconds time after the last such frame
 * @param seconds            duration
 */
public record Loudness(double rmsDb, double peakDb, double truePeakDb, double integratedLufs, double noiseFloorDb,
                       double programmeNoiseDb, double roomToneNoiseDb,
                       double headSilenceSeconds, double tailSilenceSeconds, double seconds) {

    /** Multi-line human-readable summary. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, """
                duration        %8.2f s
                integrated      %8s LUFS
                true peak       %8s dBTP
                sample peak     %8s dBFS
                RMS             %8s dB
                noise floor     %8s dB    (quietest 0.5 s, as ACX Check measures it)
                  programme     %8s dB    (background between words)
                  room tone     %8s dB    (before and after the sound)
                head silence    %8.2f s
                tail silence    %8.2f s""",
                seconds, db(integratedLufs), db(truePeakDb), db(peakDb), db(rmsDb), db(noiseFloorDb), db(programmeNoiseDb), db(roomToneNoiseDb), headSilenceSeconds, tailSilenceSeconds);
    }

    static String db(double v) {
        if (Double.isNaN(v)) return "n/a";
        return Double.isInfinite(v) ? (v < 0 ? "-inf" : "+inf") : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
