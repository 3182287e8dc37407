package org.higgsnarrator.cli;

/** {@code ./narrator studio}: Start the narration studio (JavaFX). */
public final class StudioCommand implements Command {
    @Override
    public String name() {
        return "studio";
    }

    @Override
    public String summary() {
        return "Start the narration studio (JavaFX).";
    }

    @Override
    public String usage() {
        return "Usage: ./narrator studio [options]\n\nStart the narration studio (JavaFX).\n\n(not implemented yet)";
    }

    @Override
    public int run(Args args) {
        System.err.println("narrator studio: not implemented yet");
        return 2;
    }
}
