package dev.sluice.chaos;

import dev.sluice.local.EmbeddedS3;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The chaos scenarios' customers and delivery jobs: job {@code n} belongs to customer {@code n} and
 * writes ndjson with the record's id and customer to {@code <bucket>/<customer>/{DATE}}.
 */
public final class ChaosJobs {

    /** Fields every job writes: enough to check identity and tenancy of each delivered line. */
    static final String FIELDS = "[\"timestamp\",\"RecordId\",\"Customer\",\"EdgeResponseStatus\"]";

    /** The smallest {@code max_upload_interval_seconds} the config allows. */
    public static final int INTERVAL_SECONDS = 30;

    private final EmbeddedS3 s3;
    private final URI endpoint;
    private final List<String> jobs = new ArrayList<>();

    /** Jobs writing to {@code s3} through {@code endpoint} (the server's own, or a proxy's). */
    public ChaosJobs(EmbeddedS3 s3, URI endpoint) {
        this.s3 = s3;
        this.endpoint = endpoint;
    }

    /** Customer ids {@code <prefix>0001 …}. */
    public static List<String> customers(String prefix, int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> String.format(Locale.ROOT, "%s%04d", prefix, i))
                .collect(Collectors.toList());
    }

    /** Adds an enabled job for {@code customer} writing to {@code bucket}. */
    public ChaosJobs add(long id, String customer, String bucket, long maxUploadRecords) {
        jobs.add(job(id, customer, destination(bucket, customer), maxUploadRecords));
        return this;
    }

    /** Adds an enabled job for {@code customer} writing to {@code destination} as it is. */
    public ChaosJobs addWithDestination(
            long id, String customer, String destination, long maxUploadRecords) {
        jobs.add(job(id, customer, destination, maxUploadRecords));
        return this;
    }

    /**
     * One job per customer, ids 1 to n in the customers' order, each writing to {@code bucket};
     * returns job id → customer, what the audit checks delivery against.
     */
    public Map<Long, String> addOnePerCustomer(
            List<String> customers, String bucket, long maxUploadRecords) {
        Map<Long, String> jobIds = new LinkedHashMap<>();
        for (int i = 0; i < customers.size(); i++) {
            add(i + 1, customers.get(i), bucket, maxUploadRecords);
            jobIds.put(i + 1L, customers.get(i));
        }
        return jobIds;
    }

    /** The snapshot of every job added, at {@code version}. */
    public String snapshot(int version) {
        return "{\"version\": " + version + ", \"jobs\": [" + String.join(",", jobs) + "]}";
    }

    /** A job's JSON. */
    public static String job(long id, String customer, String destination, long maxUploadRecords) {
        return String.format(
                Locale.ROOT,
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"%s\", \"enabled\": true,"
                    + " \"destination_conf\": \"%s\", \"output_options\": {\"field_names\": %s},"
                    + " \"max_upload_records\": %d, \"max_upload_interval_seconds\": %d}",
                id,
                customer,
                ChaosProducer.DATASET,
                destination,
                FIELDS,
                maxUploadRecords,
                INTERVAL_SECONDS);
    }

    /** A destination_conf for {@code <bucket>/<customer>/{DATE}} on this S3 server. */
    public String destination(String bucket, String customer) {
        return s3.destination(bucket + "/" + customer + "/{DATE}", endpoint);
    }
}
