package dev.sluice.tools;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d} or {@code 0}. */
final class AgeConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern AGE = Pattern.compile("(\\d+)(s|m|h|d)");

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = AGE.matcher(v);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration like 30s, 10m, 1h or 0");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofDays(n);
        }
    }
}
