package org.higgsnarrator.cli;

/** One sub-command of {@code ./narrator}. Returns the process exit code. */
public interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** Full usage text shown by {@code --help}. */
    String usage();

    int run(Args args) throws Exception;
}
