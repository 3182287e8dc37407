package org.higgsnarrator.tensors;

import java.util.Collection;
import java.util.Comparator;

/** "Did you mean" hints for missing tensor names. */
final class Names {
    private Names() {}

    static String suggest(String name, Collection<String> known) {
        if (known.isEmpty()) return " (the file holds no tensors)";
        String best = known.stream().min(Comparator.comparingInt(k -> distance(name, k))).orElseThrow();
        return " (closest name present: '" + best + "'; " + known.size() + " tensors in all). Is this the right checkpoint, complete and in a supported layout?";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
