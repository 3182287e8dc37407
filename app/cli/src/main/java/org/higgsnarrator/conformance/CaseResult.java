package org.higgsnarrator.conformance;

/** The outcome of one golden case: printed as {@code PASS <name> <detail>} or {@code FAIL <name> <detail>}. */
public record CaseResult(String name, boolean passed, String detail) {
    public static CaseResult pass(String name, String detail) {
        return new CaseResult(name, true, detail);
    }

    public static CaseResult fail(String name, String detail) {
        return new CaseResult(name, false, detail);
    }

    public static CaseResult notImplemented(String name) {
        return new CaseResult(name, false, "not implemented");
    }

    public String line() {
        return (passed ? "PASS " : "FAIL ") + name + (detail == null || detail.isEmpty() ? "" : " " + detail);
    }
}
