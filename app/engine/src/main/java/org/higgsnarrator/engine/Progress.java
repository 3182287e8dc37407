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
 * @param etaSeconds     estimated wall time left, NaN until one chunk has finished: remaining words × frames per
 *                       word so far ÷ frames per second so far
 */
public record Progress(int chunk, int chunks, long frames, double audioSeconds, double elapsedSeconds, double realTime, double etaSeconds) {
    /** Fraction of the script done, by estimated frames (0…1); NaN while the ETA is unknown. */
    public double fraction() {
        if (Double.isNaN(etaSeconds)) return Double.NaN;
        double total = elapsedSeconds + etaSeconds;
        return total <= 0 ? 1 : elapsedSeconds / total;
    }
}
