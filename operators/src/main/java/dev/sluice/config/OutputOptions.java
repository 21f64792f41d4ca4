package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/** How a job's records are written, after Logpush's {@code output_options}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class OutputOptions {

    public static final String NDJSON = "ndjson";

    private final List<String> fieldNames;
    private final String outputType;
    private final TimestampFormat timestampFormat;

    @JsonCreator
    public OutputOptions(
            @JsonProperty("field_names") List<String> fieldNames,
            @JsonProperty("output_type") String outputType,
            @JsonProperty("timestamp_format") String timestampFormat) {
        this.fieldNames = fieldNames == null ? List.of() : List.copyOf(fieldNames);
        this.outputType = outputType == null ? NDJSON : outputType;
        this.timestampFormat = TimestampFormat.parse(timestampFormat);
    }

    static OutputOptions defaults() {
        return new OutputOptions(null, null, null);
    }

    /** The fields to write, in order; empty means every field the event carries. */
    @JsonProperty("field_names")
    public List<String> fieldNames() {
        return fieldNames;
    }

    @JsonProperty("output_type")
    public String outputType() {
        return outputType;
    }

    @JsonProperty("timestamp_format")
    public String timestampFormatName() {
        return timestampFormat.jsonName();
    }

    public TimestampFormat timestampFormat() {
        return timestampFormat;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OutputOptions)) {
            return false;
        }
        OutputOptions that = (OutputOptions) o;
        return fieldNames.equals(that.fieldNames)
                && outputType.equals(that.outputType)
                && timestampFormat == that.timestampFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fieldNames, outputType, timestampFormat);
    }
}
