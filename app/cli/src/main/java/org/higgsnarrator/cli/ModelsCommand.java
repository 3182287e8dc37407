package org.higgsnarrator.cli;

/** {@code ./narrator models}: List, import, verify or remove model packages. */
public final class ModelsCommand implements Command {
    @Override
    public String name() {
        return "models";
    }

    @Override
    public String summary() {
        return "List, import, verify or remove model packages.";
    }

    @Override
    public String usage() {
        return "Usage: ./narrator models [options]\n\nList, import, verify or remove model packages.\n\n(not implemented yet)";
    }

    @Override
    public int run(Args args) {
        System.err.println("narrator models: not implemented yet");
        return 2;
    }
}
