package dev.sluice.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The local run's customers and their delivery jobs. Every fifth customer is deliberately left
 * unconfigured, so the run shows fail-closed routing: their logs are counted and dropped. To show
 * the output options, every seventh job writes CSV, every ninth samples a quarter of its logs, and
 * every eighth (from the sixth) keeps only errors (a Logpush filter on EdgeResponseStatus).
 */
public final class SampleConfig {

    public static final String BUCKET = "sluice-logs";

    private static final String FIELDS =
            "[\"timestamp\",\"ClientIP\",\"ClientRequestHost\",\"ClientRequestMethod\","
                    + "\"ClientRequestURI\",\"EdgeResponseStatus\",\"EdgeResponseBytes\","
                    + "\"CacheCacheStatus\",\"RayID\"]";

    /** A Logpush filter, as the JSON string the job API carries: 4xx and 5xx responses only. */
    private static final String ERRORS_ONLY =
            "{\\\"where\\\":{\\\"key\\\":\\\"EdgeResponseStatus\\\",\\\"operator\\\":\\\"geq\\\",\\\"value\\\":400}}";

    private SampleConfig() {}

    /** Customer ids {@code c0001 … cNNNN}. */
    public static List<String> customers(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> String.format(Locale.ROOT, "c%04d", i))
                .collect(Collectors.toList());
    }

    /** Whether the sample config has a job for the customer at this 1-based position. */
    public static boolean isConfigured(int position) {
        return position % 5 != 0;
    }

    /**
     * A snapshot (version 1) with one enabled job per configured customer, writing to S3 with the
     * named credential {@code credential}.
     */
    public static String snapshot(
            List<String> customers, EmbeddedS3 s3, String credential, long maxUploadRecords) {
        List<String> jobs = new ArrayList<>();
        for (int i = 1; i <= customers.size(); i++) {
            if (isConfigured(i)) {
                jobs.add(job(i, customers.get(i - 1), s3, credential, maxUploadRecords));
            }
        }
        return "{\"version\": 1, \"jobs\": [\n  " + String.join(",\n  ", jobs) + "\n]}\n";
    }

    private static String job(
            long id, String customer, EmbeddedS3 s3, String credential, long maxUploadRecords) {
        String destination = s3.namedDestination(BUCKET + "/" + customer + "/{DATE}", credential);
        return String.format(
                Locale.ROOT,
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"%s\", \"enabled\": true,"
                        + " \"destination_conf\": \"%s\","
                        + " \"output_options\": {\"field_names\": %s, \"output_type\": \"%s\","
                        + " \"timestamp_format\": \"rfc3339\", \"sample_rate\": %s},"
                        + " \"filter\": \"%s\","
                        + " \"max_upload_records\": %d, \"max_upload_interval_seconds\": 30}",
                id,
                customer,
                HttpLogGenerator.DATASET,
                destination,
                FIELDS,
                id % 7 == 3 ? "csv" : "ndjson",
                id % 9 == 4 ? "0.25" : "1",
                id % 8 == 6 ? ERRORS_ONLY : "",
                maxUploadRecords);
    }
}
