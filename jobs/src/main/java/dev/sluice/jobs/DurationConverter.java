package dev.sluice.jobs;

import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

import java.time.Duration;

/**
 * Reads a command-line duration with Flink's own grammar ({@link TimeUtils#parseDuration}): a whole
 * number and a unit, e.g. {@code 500ms}, {@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}, or {@code
 * 0}. A number without a unit other than 0 is refused rather than read as milliseconds, as Flink's
 * configuration would: {@code --duration 60} is a mistake, not 60 ms. Bad input becomes a picocli
 * usage error, not a stack trace.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    /** What the error message suggests. */
    static final String EXAMPLES = "e.g. 90s, 5m, 1h or 0";

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * The duration {@code text} names.
     *
     * @throws CommandLine.TypeConversionException if it names none
     */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
            if (trimmed.chars().allMatch(c -> c == '0')) {
                return Duration.ZERO;
            }
            throw invalid(text, "it has no unit");
        }
        try {
            return TimeUtils.parseDuration(trimmed);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(text, null);
        }
    }

    private static CommandLine.TypeConversionException invalid(String text, String why) {
        return new CommandLine.TypeConversionException(
                "'"
                        + text
                        + "' is not a duration"
                        + (why == null ? "" : " (" + why + ")")
                        + "; use "
                        + EXAMPLES);
    }
}
