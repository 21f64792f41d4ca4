package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * How a job's records are written, after Logpush's {@code output_options}.
 *
 * @param fieldNames the fields to write, in order; empty means every field the event carries
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OutputOptions(
        @JsonProperty("field_names") List<String> fieldNames,
        @JsonProperty("output_type") String outputType,
        @JsonProperty("timestamp_format") TimestampFormat timestampFormat) {

    public static final String NDJSON = "ndjson";

    /** Reads options as the Logpush API writes them, absent fields taking the defaults. */
    @JsonCreator
    public static OutputOptions fromJson(
            @JsonProperty("field_names") List<String> fieldNames,
            @JsonProperty("output_type") String outputType,
            @JsonProperty("timestamp_format") String timestampFormat) {
        return new OutputOptions(
                fieldNames == null ? List.of() : List.copyOf(fieldNames),
                outputType == null ? NDJSON : outputType,
                TimestampFormat.parse(timestampFormat));
    }

    static OutputOptions defaults() {
        return fromJson(null, null, null);
    }
}
