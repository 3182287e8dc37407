package org.higgsnarrator.qa;

import java.util.Locale;

/**
 * One problem found in a take, with its number.
 *
 * @param kind     what kind of problem
 * @param measured the measured value, in {@code unit}
 * @param limit    the limit it broke, in {@code unit}
 * @param unit     "words/s", "s", "dB", "spots", …
 * @param atSeconds where in the take (seconds), or NaN when it concerns the whole take
 * @param severity how bad, for choosing between takes: 1 at the limit, more the further beyond it
 */
public record Finding(Kind kind, double measured, double limit, String unit, double atSeconds, double severity) {
    public enum Kind {
        TOO_SLOW("too slow for its words (extra speech or stretched pauses?)"),
        TOO_FAST("too fast for its words (words skipped?)"),
        LONG_PAUSE("long silence inside the take"),
        CLIPPING("clipped"),
        CUT_OFF("ends in mid-sound (cut off)"),
        FRAME_LIMIT("generation hit the frame limit (ending missing)"),
        LOOP("repeats itself (loop)"),
        LEVEL_JUMP("level differs from its neighbours");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** e.g. "long silence inside the take: 4.00 s at 3.10 s (limit 2.00 s)". */
    public String message() {
        String at = Double.isNaN(atSeconds) ? "" : String.format(Locale.ROOT, " at %.2f s", atSeconds);
        return String.format(Locale.ROOT, "%s: %.2f %s%s (limit %.2f %s)", kind.description(), measured, unit, at, limit, unit);
    }
}
