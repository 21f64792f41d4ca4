package dev.sluice.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean": the known name closest to a misspelt one, for messages about unknown names. */
public final class Suggestions {

    private Suggestions() {}

    /** The known name within a few edits of {@code name}, if any. */
    public static Optional<String> closest(String name, Collection<String> known) {
        // Close enough to be a typo (two swapped letters are two edits), not another word.
        int most = Math.min(3, Math.max(2, name.length() / 4));
        return known.stream()
                .filter(k -> distance(k, name) <= most)
                .min(Comparator.comparingInt(k -> distance(k, name)));
    }

    /** {@code " (did you mean X?)"}, or nothing when no known name is close. */
    public static String didYouMean(String name, Collection<String> known) {
        return closest(name, known).map(k -> " (did you mean " + k + "?)").orElse("");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] =
                        Math.min(
                                Math.min(current[j - 1] + 1, previous[j] + 1),
                                previous[j - 1] + substitution);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
