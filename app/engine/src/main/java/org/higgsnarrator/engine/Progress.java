package org.higgsnarrator.engine;

/**
 * Where a synthesis job stands.
 *
 * @param chunk          index of the chunk being generated (0-based)
 * @param chunks         number of chunks of the script
 * @param frames         audio frames generated so far (all chunks)
 * @param audioSeconds   audio generated so far
 * @param elapsedSeconds wall time since the job started
 * @param realTime       audio seconds per wall second (×real-time; above 1 is faster than playback)
 * @param etaSeconds     estimated wall time left: remaining words × frames per word ÷ frames per second so far;
 *                       frames per word are the job's own once a chunk has finished, before that an audiobook pace
 *                       (2.6 words/s); NaN before the first frame
 */
public record Progress(int chunk, int chunks, long frames, double audioSeconds, double elapsedSeconds, double realTime, double etaSeconds) {
    /** Fraction of the job done by estimated time (0…1); NaN while the ETA is unknown. */
    public double fraction() {
        if (Double.isNaN(etaSeconds)) return Double.NaN;
        double total = elapsedSeconds + etaSeconds;
        return total <= 0 ? 1 : elapsedSeconds / total;
    }
}
