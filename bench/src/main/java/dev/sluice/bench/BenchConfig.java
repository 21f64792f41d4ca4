package dev.sluice.bench;

import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.HttpLogGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's delivery jobs: one NDJSON job per customer, gzip, Logpush's default limits (5 MB,
 * 100,000 records, 30 s), selecting most of the event's fields and the event time in nanoseconds
 * (which the latency probe reads back as the record's produce time).
 */
final class BenchConfig {

    /** What every job selects: all the generator's fields but the device type. */
    static final String FIELDS =
            "[\"timestamp\",\"ClientIP\",\"ClientRequestHost\",\"ClientRequestMethod\","
                    + "\"ClientRequestURI\",\"ClientCountry\",\"ClientRequestUserAgent\","
                    + "\"EdgeResponseStatus\",\"EdgeResponseBytes\",\"EdgeTimeToFirstByteMs\","
                    + "\"CacheCacheStatus\",\"RayID\",\"WAFScore\"]";

    private BenchConfig() {}

    /**
     * A snapshot (version 1) with a job per customer, each writing under its id in {@code bucket}.
     */
    static String snapshot(List<String> customers, EmbeddedS3 s3, String bucket) {
        return snapshot(customers, destination(s3, bucket));
    }

    /**
     * A snapshot whose jobs write to {@code destination}, in which {@code %s} becomes the
     * customer's id.
     */
    static String snapshot(List<String> customers, String destination) {
        StringBuilder json = new StringBuilder(customers.size() * 420 + 64);
        try {
            write(customers, destination, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return json.toString();
    }

    /**
     * The snapshot of {@link #snapshot(List, EmbeddedS3, String)} written to {@code file}, for
     * configs too large to hold as a String beside the job (556 MB at a million jobs).
     */
    static Path writeSnapshot(List<String> customers, EmbeddedS3 s3, String bucket, Path file)
            throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(customers, destination(s3, bucket), out);
        }
        return file;
    }

    private static void write(List<String> customers, String destination, Appendable json)
            throws IOException {
        json.append("{\"version\": 1, \"jobs\": [");
        for (int i = 0; i < customers.size(); i++) {
            if (i > 0) {
                json.append(",\n");
            }
            String customer = customers.get(i);
            json.append(
                    String.format(
                            Locale.ROOT,
                            "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"%s\","
                                    + " \"destination_conf\": \"%s\", \"output_options\":"
                                    + " {\"field_names\": %s, \"output_type\": \"ndjson\","
                                    + " \"timestamp_format\": \"unixnano\"}}",
                            i + 1,
                            customer,
                            HttpLogGenerator.DATASET,
                            String.format(Locale.ROOT, destination, customer),
                            FIELDS));
        }
        json.append("]}\n");
    }

    /** The destination of a job of the embedded S3 server, {@code %s} for the customer. */
    static String destination(EmbeddedS3 s3, String bucket) {
        return s3.destination(bucket + "/%s");
    }
}
