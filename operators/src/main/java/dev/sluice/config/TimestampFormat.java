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

    /** Renders microseconds since the epoch; numbers stay numbers, RFC 3339 is a JSON string. */
    public String render(long epochMicros) {
        switch (this) {
            case UNIX:
                return Long.toString(Math.floorDiv(epochMicros, 1_000_000L));
            case RFC3339:
                Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L));
                return '"' + DateTimeFormatter.ISO_INSTANT.format(instant) + '"';
            default:
                return Long.toString(epochMicros * 1000L);
        }
    }
}
