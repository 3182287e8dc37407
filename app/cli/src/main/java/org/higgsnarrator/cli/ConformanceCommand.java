package org.higgsnarrator.cli;

/** {@code ./narrator conformance}: Check the project against a conformance kit (golden reference outputs). */
public final class ConformanceCommand implements Command {
    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public String summary() {
        return "Check the project against a conformance kit (golden reference outputs).";
    }

    @Override
    public String usage() {
        return "Usage: ./narrator conformance [options]\n\nCheck the project against a conformance kit (golden reference outputs).\n\n(not implemented yet)";
    }

    @Override
    public int run(Args args) {
        System.err.println("narrator conformance: not implemented yet");
        return 2;
    }
}
