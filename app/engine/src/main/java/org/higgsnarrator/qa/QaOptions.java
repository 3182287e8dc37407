package org.higgsnarrator.qa;

/**
 * Every threshold of the take checks, with the defaults the product uses (calibration in docs/quality.md).
 *
 * @param minWordsPerSecond   slower than this (words over the time from first to last sound) is flagged: extra
 *                            speech, hallucination or stretched pauses
 * @param maxWordsPerSecond   faster than this is flagged: skipped or swallowed words
 * @param rateSlackSeconds    the speech may be this much longer or shorter than the rate limits allow, so that
 *                            segments of a few words are not flagged for one long word or a breath
 * @param maxPauseSeconds     a pause inside the take longer than this is flagged
 * @param maxClippedSpots     more clipped spots (runs of full-scale samples) than this is flagged
 * @param endWindowSeconds    the level (RMS) of the take's last this-many seconds decides whether it ends in mid-sound
 * @param cutOffBelowLoudDb   a take whose end is louder than its loud level (90th-percentile frame) minus this was
 *                            cut off in mid-word
 * @param loopMinSeconds      audio that repeats for this long (plus the time of the longest phrase the text itself
 *                            repeats) at a lag of {@code loopMinLagSeconds}..
 *                            {@code loopMaxLagSeconds} is a loop
 * @param loopMinLagSeconds   shortest repetition period looked for
 * @param loopMaxLagSeconds   longest repetition period looked for
 * @param loopMaxDistanceDb   two 10 ms frames are "the same" when their log band energies differ by less than this
 *                            on average (dB)
 * @param loopMatchFraction   share of the sounding frames in a {@code loopMinSeconds} window that must be the same
 * @param codeLoopFrames      a run of this many code frames (all codebooks) that recurs {@code codeLoopRepeats}
 *                            times is a loop in the codes
 * @param codeLoopRepeats     occurrences of such a run that make a loop
 * @param maxLevelJumpDb      a take whose active speech level differs from its neighbours' median by more is flagged
 */
public record QaOptions(
        double minWordsPerSecond,
        double maxWordsPerSecond,
        double rateSlackSeconds,
        double maxPauseSeconds,
        int maxClippedSpots,
        double endWindowSeconds,
        double cutOffBelowLoudDb,
        double loopMinSeconds,
        double loopMinLagSeconds,
        double loopMaxLagSeconds,
        double loopMaxDistanceDb,
        double loopMatchFraction,
        int codeLoopFrames,
        int codeLoopRepeats,
        double maxLevelJumpDb) {

    public static final QaOptions DEFAULTS = new QaOptions(
            1.4, 5.5, 0.75,
            2.0,
            0,
            0.01, 20.0,
            1.0, 0.3, 8.0, 2.5, 0.6,
            12, 3,
            6.0);
}
