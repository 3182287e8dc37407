package org.higgsnarrator.io;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in plain words what is wrong with a JSON file that gson could not read, without gson's internals (class
 * names, {@code path $.x}, "MalformedJsonException", "BEGIN_OBJECT"): e.g. "not valid JSON: it ends too early (line
 * 2, column 1)".
 */
public final class JsonProblems {
    private JsonProblems() {}

    private static final Pattern WHERE = Pattern.compile("line (\\d+) column (\\d+)");

    public static String describe(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(' ').append(t.getMessage()).append(' ').append(t.getClass().getSimpleName());
        String m = all.toString();
        String what;
        if (m.contains("End of input") || m.contains("EOFException")) what = "it ends too early";
        else if (m.contains("Not a JSON Object") || m.contains("Expected BEGIN_OBJECT")) what = "an object { … } was expected";
        else if (m.contains("Expected BEGIN_ARRAY")) what = "a list [ … ] was expected";
        else if (m.contains("Unterminated")) what = "a string, object or list is not closed";
        else if (m.contains("Expected a") || m.contains("NumberFormatException") || m.contains("Expected")) what = "a value has the wrong type";
        else what = "it is not valid JSON";
        Matcher w = WHERE.matcher(m);
        return w.find() ? String.format(Locale.ROOT, "%s (line %s, column %s)", what, w.group(1), w.group(2)) : what;
    }
}
