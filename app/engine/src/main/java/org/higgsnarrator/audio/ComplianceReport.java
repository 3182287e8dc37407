package org.higgsnarrator.audio;

import java.util.List;
import java.util.Locale;

/**
 * The result of checking one file or chapter against a {@link MasteringPreset}: one line per requirement.
 *
 * @param subject what was checked (file or chapter name)
 * @param preset  the preset checked against
 * @param loudness all measurements, including those no check uses
 * @param checks  the requirements, in the order the preset lists them
 */
public record ComplianceReport(String subject, MasteringPreset preset, Loudness loudness, List<Check> checks) {
    public ComplianceReport {
        checks = List.copyOf(checks);
    }

    /**
     * One requirement.
     *
     * @param name     e.g. "RMS level"
     * @param measured the measured value (may be infinite, e.g. -inf dB for digital silence)
     * @param unit     "dB", "dBFS", "LUFS", "s", …
     * @param min      lowest allowed value, or -Infinity
     * @param max      highest allowed value, or +Infinity
     */
    public record Check(String name, double measured, String unit, double min, double max) {
        public boolean passed() {
            return measured >= min && measured <= max;
        }

        public String limit() {
            if (Double.isInfinite(min)) return String.format(Locale.ROOT, "<= %s %s", num(max), unit);
            if (Double.isInfinite(max)) return String.format(Locale.ROOT, ">= %s %s", num(min), unit);
            return String.format(Locale.ROOT, "%s .. %s %s", num(min), num(max), unit);
        }
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** A table for terminals and logs. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s — %s: %s%n", subject, preset.label(), passed() ? "PASS" : "FAIL"));
        for (Check c : checks)
            sb.append(String.format(Locale.ROOT, "  %-4s %-20s %10s %-5s  (limit %s)%n", c.passed() ? "ok" : "FAIL", c.name(),
                    num(c.measured()), c.unit(), c.limit()));
        return sb.toString();
    }

    private static String num(double v) {
        return Loudness.db(v);
    }
}
