package org.higgsnarrator.cli;

/** {@code ./narrator export}: Convert a Hugging Face checkpoint into a model package. */
public final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "Convert a Hugging Face checkpoint into a model package.";
    }

    @Override
    public String usage() {
        return "Usage: ./narrator export [options]\n\nConvert a Hugging Face checkpoint into a model package.\n\n(not implemented yet)";
    }

    @Override
    public int run(Args args) {
        System.err.println("narrator export: not implemented yet");
        return 2;
    }
}
