package dev.sluice.chaos;

import java.util.Locale;

/**
 * One line of a chaos verdict: what was checked, what it should be, what the run observed.
 *
 * @param check what is checked, e.g. "configured records lost"
 * @param expected the expectation as text, e.g. "0" or "<= 45 s"
 * @param observed what the run found, as text
 * @param passed whether the observation meets the expectation
 */
public record Check(String check, String expected, String observed, boolean passed) {

    /** Passes when {@code observed} equals {@code expected}. */
    public static Check equal(String check, long expected, long observed) {
        return new Check(
                check, Long.toString(expected), Long.toString(observed), expected == observed);
    }

    /** Passes when {@code observed} is at most {@code limit}. */
    public static Check atMost(String check, double limit, double observed) {
        return new Check(check, "<= " + format(limit), format(observed), observed <= limit);
    }

    /** Passes when {@code observed} is at least {@code minimum}. */
    public static Check atLeast(String check, double minimum, double observed) {
        return new Check(check, ">= " + format(minimum), format(observed), observed >= minimum);
    }

    /** Passes when {@code holds}; {@code observed} says what was seen. */
    public static Check that(String check, String expected, String observed, boolean holds) {
        return new Check(check, expected, observed, holds);
    }

    /** A number as a report shows it: whole numbers without decimals, others with two. */
    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
