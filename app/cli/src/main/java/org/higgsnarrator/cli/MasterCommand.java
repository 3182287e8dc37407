package org.higgsnarrator.cli;

/** {@code ./narrator master}: Normalize an audio file to a loudness preset (acx, podcast). */
public final class MasterCommand implements Command {
    @Override
    public String name() {
        return "master";
    }

    @Override
    public String summary() {
        return "Normalize an audio file to a loudness preset (acx, podcast).";
    }

    @Override
    public String usage() {
        return "Usage: ./narrator master [options]\n\nNormalize an audio file to a loudness preset (acx, podcast).\n\n(not implemented yet)";
    }

    @Override
    public int run(Args args) {
        System.err.println("narrator master: not implemented yet");
        return 2;
    }
}
