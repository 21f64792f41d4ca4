package dev.sluice.config;

import java.util.ArrayList;
import java.util.List;

/** Checks one delivery job against Logpush's rules and ranges. */
final class JobValidator {

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
            problems.add(e.getMessage());
        }
        if (!OutputOptions.NDJSON.equals(job.outputOptions().outputType())) {
            problems.add("output_type '" + job.outputOptions().outputType() + "' is not ndjson");
        }
        checkRange(problems, "max_upload_bytes", job.maxUploadBytes(), 5_000_000L, 1_000_000_000L);
        checkRange(problems, "max_upload_records", job.maxUploadRecords(), 1_000L, 1_000_000L);
        checkRange(problems, "max_upload_interval_seconds", job.maxUploadIntervalSeconds(), 30, 300);
        return problems;
    }

    private static void requireText(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            problems.add(field + " contains a control character");
        }
    }

    /** Logpush accepts a value in range, or 0 for the default. */
    private static void checkRange(List<String> problems, String field, long v, long min, long max) {
        if (v != 0 && (v < min || v > max)) {
            problems.add(field + " " + v + " is outside " + min + "–" + max + " (or 0 for default)");
        }
    }
}
