package org.higgsnarrator.qa;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The checks of one rendered take (a chunk or a studio segment).
 *
 * @param index          its position in the chapter
 * @param words          words in its text
 * @param seconds        its length
 * @param speechSeconds  from its first to its last sound
 * @param wordsPerSecond words over speechSeconds
 * @param levelDb        active speech level (dB): the mean power of its sounding frames
 * @param findings       what is wrong with it; empty for a clean take
 */
public record TakeReport(int index, int words, double seconds, double speechSeconds, double wordsPerSecond, double levelDb,
                         List<Finding> findings) {
    public TakeReport {
        findings = List.copyOf(findings);
    }

    public boolean flagged() {
        return !findings.isEmpty();
    }

    /** Lower is better; 0 for a clean take. Used to keep the best of several takes. */
    public double score() {
        return findings.stream().mapToDouble(Finding::severity).sum();
    }

    /** The findings in one line, e.g. for a segment list's tooltip; empty when clean. */
    public String reason() {
        return findings.stream().map(Finding::message).collect(Collectors.joining("; "));
    }

    TakeReport withFinding(Finding f) {
        List<Finding> all = new java.util.ArrayList<>(findings);
        all.add(f);
        return new TakeReport(index, words, seconds, speechSeconds, wordsPerSecond, levelDb, all);
    }
}
