package dev.sluice.config;

import java.util.Optional;

/** Logpush's {@code output_type} values, each with the framing defaults it implies. */
public enum OutputType implements JsonNamed {
    NDJSON("ndjson", "{", "}\n"),
    CSV("csv", "", "\n");

    /** Both types join fields with a comma and put nothing between records. */
    static final String DEFAULT_FIELD_DELIMITER = ",";

    static final String DEFAULT_RECORD_DELIMITER = "";

    private final String jsonName;
    private final String defaultRecordPrefix;
    private final String defaultRecordSuffix;

    OutputType(String jsonName, String defaultRecordPrefix, String defaultRecordSuffix) {
        this.jsonName = jsonName;
        this.defaultRecordPrefix = defaultRecordPrefix;
        this.defaultRecordSuffix = defaultRecordSuffix;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    String defaultRecordPrefix() {
        return defaultRecordPrefix;
    }

    String defaultRecordSuffix() {
        return defaultRecordSuffix;
    }

    /** The type a config value names; exact match, as the Logpush API spells them. */
    public static Optional<OutputType> find(String value) {
        return JsonNamed.find(values(), value);
    }

    /** The type a validated config value names; anything else is a programming error. */
    public static OutputType of(String value) {
        return find(value)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "output_type '" + value + "' is not one of " + names()));
    }

    /** The accepted values, for messages: {@code ndjson, csv}. */
    static String names() {
        return JsonNamed.names(values());
    }
}
