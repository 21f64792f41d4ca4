package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;

/** Logpush's {@code timestamp_format} values and how each renders an event time. */
public enum TimestampFormat {
    UNIXNANO("unixnano"),
    UNIX("unix"),
    RFC3339("rfc3339");

    private final String jsonName;

    TimestampFormat(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** Parses a config value; absent means {@code unixnano}, Logpush's default. */
    public static TimestampFormat parse(String value) {
        if (value == null) {
            return UNIXNANO;
        }
        return Arrays.stream(values())
                .filter(f -> f.jsonName.equals(value.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "timestamp_format '"
                                                + value
                                                + "' is not one of unixnano, unix, rfc3339"));
    }

    /** Whether the format is a number (unix, unixnano) rather than text (rfc3339). */
    public boolean isNumeric() {
        return this != RFC3339;
    }

    /**
     * Whether an event time can be written in every format: in nanoseconds, a long holds about ±292
     * years around 1970. A time outside is a forwarder's error, dead-lettered by the router.
     */
    public static boolean representable(long epochMicros) {
        return epochMicros >= Long.MIN_VALUE / 1000 && epochMicros <= Long.MAX_VALUE / 1000;
    }

    /**
     * The event time as a number: seconds (unix) or nanoseconds (unixnano) since the epoch; an
     * event time that is not {@link #representable} fails rather than wraps around.
     */
    public long toNumber(long epochMicros) {
        switch (this) {
            case UNIX:
                return Math.floorDiv(epochMicros, 1_000_000L);
            case UNIXNANO:
                return Math.multiplyExact(epochMicros, 1000L);
            default:
                throw new IllegalStateException(jsonName + " is not a numeric format");
        }
    }

    /** The event time as plain text, unquoted; RFC 3339 to the second. */
    public String toText(long epochMicros) {
        if (isNumeric()) {
            return Long.toString(toNumber(epochMicros));
        }
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L));
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
