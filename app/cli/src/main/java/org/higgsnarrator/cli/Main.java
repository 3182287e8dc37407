package org.higgsnarrator.cli;

import java.util.List;
import java.util.Set;

/** {@code ./narrator <command> [options]}: the command-line interface of Higgs Narrator. */
public final class Main {
    /** Every command, in the order {@code --help} lists them. */
    static List<Command> commands() {
        return List.of(
                new StudioCommand(),
                new NarrateCommand(),
                new ServeCommand(),
                new ExportCommand(),
                new ConformanceCommand(),
                new BenchCommand(),
                new MasterCommand(),
                new CheckCommand(),
                new ImportCommand(),
                new RenderCommand(),
                new ModelsCommand());
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    public static int run(String[] argv) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            System.out.println(overview());
            return argv.length == 0 ? 2 : 0;
        }
        Command cmd = commands().stream().filter(c -> c.name().equals(argv[0])).findFirst().orElse(null);
        if (cmd == null) {
            System.err.println("narrator: unknown command '" + argv[0] + "'\n\n" + overview());
            return 2;
        }
        String[] rest = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        try {
            if (List.of(rest).contains("--help") || List.of(rest).contains("-h")) {
                System.out.println(cmd.usage());
                return 0;
            }
            return cmd.run(Args.parse(rest, FLAGS));
        } catch (Args.UsageException e) {
            System.err.println("narrator " + cmd.name() + ": " + e.getMessage() + "\n\n" + cmd.usage());
            return 2;
        } catch (Exception e) {
            System.err.println("narrator " + cmd.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("NARRATOR_DEBUG") != null) e.printStackTrace();
            return 1;
        } catch (OutOfMemoryError e) {
            // one sentence, whatever ran out (a command with finished work to keep says more itself, see narrate)
            System.err.println("narrator " + cmd.name() + ": out of memory (Java heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB); give Java more memory, e.g. NARRATOR_JAVA_OPTS=-Xmx8g ./narrator " + cmd.name() + " …");
            return 1;
        }
    }

    /** Options that take no value, across all commands. */
    static final Set<String> FLAGS = Set.of("help", "verbose", "quiet", "no-stream", "force", "keep", "json", "greedy", "compare-literal", "random-weights", "with-matter", "read-along", "show-prompts",
            "io-binding", "fresh", "batch", "ref-audio-in-system-message");

    static String overview() {
        StringBuilder sb = new StringBuilder("""
                Higgs Narrator — local text-to-speech narration with Higgs Audio v2.

                Usage: ./narrator <command> [options]     (./narrator <command> --help for details)

                Commands:
                """);
        for (Command c : commands()) sb.append(String.format("  %-12s %s%n", c.name(), c.summary()));
        return sb.toString();
    }
}
