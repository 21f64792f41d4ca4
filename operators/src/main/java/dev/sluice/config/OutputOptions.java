package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Objects;

/**
 * How a job's records are written, after Logpush's {@code output_options}.
 *
 * <p>Every component holds the value in force: {@link #fromJson} fills what the config leaves out
 * with the defaults of the output type, so encoders never look at defaults again and writing the
 * options as JSON and reading them back gives equal options. An explicit empty string is a value,
 * not an absence. Options are written with the snake_case keys {@link #fromJson} reads.
 *
 * @param fieldNames the fields to write, in order; empty means every field the event carries
 * @param outputType {@code ndjson} or {@code csv} as configured; see {@link OutputType}
 * @param sampleRate the share of records to deliver, in (0, 1]
 * @param cve202144228 JSON key {@code CVE-2021-44228}: when true, every <code>${</code> in the
 *     record's names and string values becomes <code>x{</code>
 * @param recordDelimiter written between two records of a batch, not after the last one
 * @param compression the objects' codec, {@code gzip} (the default) or {@code zstd}; see {@link
 *     Compression}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputOptions(
        List<String> fieldNames,
        String outputType,
        TimestampFormat timestampFormat,
        double sampleRate,
        @JsonProperty(OutputOptions.CVE_2021_44228) boolean cve202144228,
        String recordPrefix,
        String recordSuffix,
        String recordDelimiter,
        String fieldDelimiter,
        String batchPrefix,
        String batchSuffix,
        String compression) {

    /** The option's JSON key, spelled as the Logpush API spells it. */
    public static final String CVE_2021_44228 = "CVE-2021-44228";

    /** Parsed options: equal ones are one instance, however many jobs have them. */
    private static final WeakInterner<OutputOptions> PARSED = new WeakInterner<>();

    public OutputOptions {
        fieldNames = List.copyOf(fieldNames);
        Objects.requireNonNull(outputType, "outputType");
        Objects.requireNonNull(timestampFormat, "timestampFormat");
        Objects.requireNonNull(recordPrefix, "recordPrefix");
        Objects.requireNonNull(recordSuffix, "recordSuffix");
        Objects.requireNonNull(recordDelimiter, "recordDelimiter");
        Objects.requireNonNull(fieldDelimiter, "fieldDelimiter");
        Objects.requireNonNull(batchPrefix, "batchPrefix");
        Objects.requireNonNull(batchSuffix, "batchSuffix");
        Objects.requireNonNull(compression, "compression");
    }

    /**
     * Reads options as the Logpush API writes them, absent fields taking the defaults; equal
     * options read before and still in use are returned instead of a new instance.
     */
    @JsonCreator
    public static OutputOptions fromJson(
            @JsonProperty("field_names") List<String> fieldNames,
            @JsonProperty("output_type") String outputType,
            @JsonProperty("timestamp_format") String timestampFormat,
            @JsonProperty("sample_rate") Double sampleRate,
            @JsonProperty(OutputOptions.CVE_2021_44228) Boolean cve202144228,
            @JsonProperty("record_prefix") String recordPrefix,
            @JsonProperty("record_suffix") String recordSuffix,
            @JsonProperty("record_delimiter") String recordDelimiter,
            @JsonProperty("field_delimiter") String fieldDelimiter,
            @JsonProperty("batch_prefix") String batchPrefix,
            @JsonProperty("batch_suffix") String batchSuffix,
            @JsonProperty("compression") String compression) {
        if (fieldNames != null && fieldNames.contains(null)) {
            // Named here: the record's own check would fail without saying which field.
            throw new IllegalArgumentException("field_names must hold field names, not null");
        }
        String type = outputType == null ? OutputType.NDJSON.jsonName() : outputType;
        // An unknown type gets ndjson's defaults only so that it can be reported by the validator.
        OutputType defaults = OutputType.find(type).orElse(OutputType.NDJSON);
        return PARSED.intern(
                new OutputOptions(
                        fieldNames == null ? List.of() : fieldNames,
                        type,
                        TimestampFormat.parse(timestampFormat),
                        sampleRate == null ? 1.0 : sampleRate,
                        cve202144228 != null && cve202144228,
                        orDefault(recordPrefix, defaults.defaultRecordPrefix()),
                        orDefault(recordSuffix, defaults.defaultRecordSuffix()),
                        orDefault(recordDelimiter, OutputType.DEFAULT_RECORD_DELIMITER),
                        orDefault(fieldDelimiter, OutputType.DEFAULT_FIELD_DELIMITER),
                        orDefault(batchPrefix, ""),
                        orDefault(batchSuffix, ""),
                        orDefault(compression, Compression.GZIP.jsonName())));
    }

    /** The codec; only meaningful once the validator accepted the options. */
    public Compression codec() {
        return Compression.find(compression).orElse(Compression.GZIP);
    }

    /** Logpush's defaults: ndjson, every field, unixnano, no sampling, no redaction. */
    public static OutputOptions defaults() {
        return fromJson(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String orDefault(String value, String defaultValue) {
        return value == null ? defaultValue : value;
    }
}
