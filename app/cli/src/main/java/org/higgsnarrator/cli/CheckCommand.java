package org.higgsnarrator.cli;

/** {@code ./narrator check}: Measure an audio file against a loudness preset. */
public final class CheckCommand implements Command {
    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "Measure an audio file against a loudness preset.";
    }

    @Override
    public String usage() {
        return "Usage: ./narrator check [options]\n\nMeasure an audio file against a loudness preset.\n\n(not implemented yet)";
    }

    @Override
    public int run(Args args) {
        System.err.println("narrator check: not implemented yet");
        return 2;
    }
}
