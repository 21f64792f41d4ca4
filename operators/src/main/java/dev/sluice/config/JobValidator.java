package dev.sluice.config;

import dev.sluice.config.filter.FilterCompiler;
import dev.sluice.config.filter.InvalidFilterException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks one delivery job against Logpush's rules and ranges. */
final class JobValidator {

    /** Longest prefix, suffix or delimiter, in characters (code points). */
    static final int MAX_FRAMING_LENGTH = 256;

    private JobValidator() {}

    static List<String> validate(DeliveryJob job) {
        List<String> problems = new ArrayList<>();
        if (job.id() <= 0) {
            problems.add("id must be a positive integer");
        }
        requireText(problems, "customer_id", job.customerId());
        requireText(problems, "dataset", job.dataset());
        try {
            Destination.parse(job.destinationConf());
        } catch (IllegalArgumentException e) {
            String why = e.getMessage();
            problems.add(why.startsWith("destination_conf") ? why : "destination_conf: " + why);
        }
        validateOutput(problems, job.outputOptions());
        try {
            FilterCompiler.compile(job.filter());
        } catch (InvalidFilterException e) {
            problems.addAll(e.problems());
        }
        checkRange(problems, "max_upload_bytes", job.maxUploadBytes(), 5_000_000L, 1_000_000_000L);
        checkRange(problems, "max_upload_records", job.maxUploadRecords(), 1_000L, 1_000_000L);
        checkRange(
                problems, "max_upload_interval_seconds", job.maxUploadIntervalSeconds(), 30, 300);
        return problems;
    }

    private static void validateOutput(List<String> problems, OutputOptions options) {
        String typeName = options.outputType();
        Optional<OutputType> type = OutputType.find(typeName);
        if (type.isEmpty()) {
            problems.add("output_type '" + typeName + "' is not one of " + OutputType.names());
        } else if (type.get() == OutputType.CSV && options.fieldNames().isEmpty()) {
            // CSV columns are positional: "every field" would shift them from record to record.
            problems.add("field_names is empty: csv output needs the columns listed");
        }
        if (Compression.find(options.compression()).isEmpty()) {
            problems.add(
                    "compression '"
                            + options.compression()
                            + "' is not one of "
                            + Compression.names());
        }
        double rate = options.sampleRate();
        if (!(rate > 0 && rate <= 1)) {
            problems.add("sample_rate " + rate + " is outside (0, 1]");
        }
        checkFraming(problems, "record_prefix", options.recordPrefix());
        checkFraming(problems, "record_suffix", options.recordSuffix());
        checkFraming(problems, "record_delimiter", options.recordDelimiter());
        checkFraming(problems, "field_delimiter", options.fieldDelimiter());
        checkFraming(problems, "batch_prefix", options.batchPrefix());
        checkFraming(problems, "batch_suffix", options.batchSuffix());
    }

    /** Prefixes, suffixes and delimiters: short, and no NUL, which many log readers stop at. */
    private static void checkFraming(List<String> problems, String field, String value) {
        int length = value.codePointCount(0, value.length());
        if (length > MAX_FRAMING_LENGTH) {
            problems.add(
                    field + " is " + length + " characters long, more than " + MAX_FRAMING_LENGTH);
        }
        if (value.indexOf('\0') >= 0) {
            problems.add(field + " contains a NUL character");
        }
    }

    private static void requireText(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            problems.add(field + " contains a control character");
        }
    }

    /** Logpush accepts a value in range, or 0 for the default. */
    private static void checkRange(
            List<String> problems, String field, long v, long min, long max) {
        if (v != 0 && (v < min || v > max)) {
            problems.add(
                    field + " " + v + " is outside " + min + "–" + max + " (or 0 for default)");
        }
    }
}
