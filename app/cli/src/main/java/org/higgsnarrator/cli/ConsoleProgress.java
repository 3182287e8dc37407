package org.higgsnarrator.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.higgsnarrator.models.Digests;
import org.higgsnarrator.models.HubClient;
import org.higgsnarrator.models.ProgressListener;

/**
 * Progress on stderr: one line rewritten in place on a terminal, a line every few seconds otherwise (logs, CI).
 */
final class ConsoleProgress implements ProgressListener {
    private static final long LOG_INTERVAL_NANOS = 3_000_000_000L;
    private final PrintStream err;
    private final boolean terminal;
    private long lastNanos;
    private int lastWidth;

    ConsoleProgress(PrintStream err) {
        this.err = err;
        this.terminal = System.console() != null && System.getenv("NARRATOR_PLAIN_PROGRESS") == null;
    }

    @Override
    public synchronized void update(String stage, long done, long total) {
        String pct = total > 0 ? String.format(Locale.ROOT, "%5.1f%%", 100.0 * done / total) : "";
        show(String.format(Locale.ROOT, "%s %s %s", stage, pct, total > 0 ? Digests.human(done) + " of " + Digests.human(total) : ""), done == total);
    }

    synchronized void download(HubClient.DownloadProgress p) {
        String eta = Double.isNaN(p.etaSeconds()) ? "?" : duration((long) p.etaSeconds());
        String pct = p.bytesTotal() > 0 ? String.format(Locale.ROOT, "%5.1f%%", 100.0 * p.bytesDone() / p.bytesTotal()) : "";
        show(String.format(Locale.ROOT, "download %s %s of %s, %d/%d files, %s/s, ETA %s", pct, Digests.human(p.bytesDone()),
                Digests.human(p.bytesTotal()), p.filesDone(), p.filesTotal(), Digests.human((long) p.bytesPerSecond()), eta),
                p.filesDone() == p.filesTotal());
    }

    /** Ends the progress line so the next message starts on its own line. */
    synchronized void finish() {
        if (terminal && lastWidth > 0) err.println();
        lastWidth = 0;
    }

    private void show(String line, boolean force) {
        long now = System.nanoTime();
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            err.flush();
            lastWidth = line.length();
        } else if (force || now - lastNanos > LOG_INTERVAL_NANOS) {
            err.println(line);
            lastNanos = now;
        }
    }

    static String duration(long s) {
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
