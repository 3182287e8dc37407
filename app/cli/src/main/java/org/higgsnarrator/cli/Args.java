package org.higgsnarrator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments: {@code --name value} options (repeatable), {@code --flag} switches and positionals.
 * Unknown options are reported by {@link #rejectUnknown} so a typo never silently does nothing.
 */
public final class Args {
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    /** @param flags option names that take no value (without the leading dashes) */
    public static Args parse(String[] argv, Set<String> flags) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (flags.contains(name) || name.equals("help")) {
                    value = "true";
                } else if (i + 1 < argv.length) {
                    value = argv[++i];
                } else {
                    throw new UsageException("option --" + name + " needs a value");
                }
                a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (s.equals("-h")) {
                a.options.computeIfAbsent("help", k -> new ArrayList<>()).add("true");
            } else {
                a.positionals.add(s);
            }
        }
        return a;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public String get(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.getLast();
    }

    public String get(String name, String dflt) {
        String v = get(name);
        return v == null ? dflt : v;
    }

    public String require(String name) {
        String v = get(name);
        if (v == null) throw new UsageException("missing required option --" + name);
        return v;
    }

    public Path path(String name) {
        String v = get(name);
        return v == null ? null : Path.of(v);
    }

    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public double getDouble(String name, double dflt) {
        String v = get(name);
        if (v == null) return dflt;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
    }

    public long getLong(String name, long dflt) {
        String v = get(name);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    public int getInt(String name, int dflt) {
        return Math.toIntExact(getLong(name, dflt));
    }

    public List<String> positionals() {
        return positionals;
    }

    /** Fails on any option not in {@code known} (plus --help). */
    public void rejectUnknown(Set<String> known) {
        for (String k : options.keySet()) {
            if (!known.contains(k) && !k.equals("help")) throw new UsageException("unknown option --" + k);
        }
    }

    /** A mistake in how the command was called: printed with the usage text, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
