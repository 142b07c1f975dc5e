package io.jzram.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * "Did you mean …?" for unknown keys and values: the known word a misspelling is closest to.
 *
 * <p>Rules, in order: a known alias (the kernel's sysfs names: {@code disksize} is {@code size},
 * {@code comp_algorithm} is {@code algorithm}); the same word but for case and {@code -} versus
 * {@code _}; the smallest edit distance (optimal string alignment: insertions, deletions,
 * substitutions, swaps of neighbours) within a third of the known word's length (at least 1, at
 * most 3), the first known word winning a tie; a known word that starts with the unknown one
 * (3 characters or more: {@code algo}) or that the unknown one starts with ({@code listen_on}).
 */
public final class Suggestions {
    private Suggestions() {}

    public static Optional<String> closest(String unknown, Collection<String> known) {
        return closest(unknown, known, Map.of());
    }

    /** @param aliases other names people use → the known word they mean */
    public static Optional<String> closest(String unknown, Collection<String> known, Map<String, String> aliases) {
        String u = normalise(unknown);
        if (aliases.containsKey(u)) {
            return Optional.of(aliases.get(u));
        }
        for (String k : known) {
            if (normalise(k).equals(u)) {
                return Optional.of(k);
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(u, normalise(k));
            if (d <= Math.max(1, Math.min(3, k.length() / 3)) && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        for (String k : known) {
            String n = normalise(k);
            if (u.length() >= 3 && (n.startsWith(u) || u.startsWith(n))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
