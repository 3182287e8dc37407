package org.higgsnarrator.cli;

/** {@code ./narrator narrate}: Render a script to an audio file. */
public final class NarrateCommand implements Command {
    @Override
    public String name() {
        return "narrate";
    }

    @Override
    public String summary() {
        return "Render a script to an audio file.";
    }

    @Override
    public String usage() {
        return "Usage: ./narrator narrate [options]\n\nRender a script to an audio file.\n\n(not implemented yet)";
    }

    @Override
    public int run(Args args) {
        System.err.println("narrator narrate: not implemented yet");
        return 2;
    }
}
