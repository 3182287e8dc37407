package org.higgsnarrator.cli;

/** {@code ./narrator bench}: Measure speed on this machine (memory bandwidth, decode, codec). */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Measure speed on this machine (memory bandwidth, decode, codec).";
    }

    @Override
    public String usage() {
        return "Usage: ./narrator bench [options]\n\nMeasure speed on this machine (memory bandwidth, decode, codec).\n\n(not implemented yet)";
    }

    @Override
    public int run(Args args) {
        System.err.println("narrator bench: not implemented yet");
        return 2;
    }
}
