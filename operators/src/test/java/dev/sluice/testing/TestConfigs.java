package dev.sluice.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Builds config snapshot JSON for tests, one job at a time. */
public final class TestConfigs {

    /** The keys of a delivery job in a snapshot, {@code output_options} last. */
    public static final List<String> JOB_KEYS =
            List.of(
                    "id",
                    "customer_id",
                    "dataset",
                    "enabled",
                    "destination_conf",
                    "filter",
                    "max_upload_bytes",
                    "max_upload_records",
                    "max_upload_interval_seconds",
                    "output_options");

    public static final String DATASET = "http_requests";

    private final long version;
    private final List<String> jobs = new ArrayList<>();
    private boolean force;

    private TestConfigs(long version) {
        this.version = version;
    }

    public static TestConfigs version(long version) {
        return new TestConfigs(version);
    }

    /** An enabled job writing to {@code file:///tmp/sluice-test/<customer>} with default limits. */
    public TestConfigs job(long id, String customer) {
        return job(id, customer, true, 0);
    }

    public TestConfigs job(long id, String customer, boolean enabled, long maxRecords) {
        jobs.add(
                String.format(
                        "{\"id\":%d,\"customer_id\":\"%s\",\"dataset\":\"%s\",\"enabled\":%s,"
                            + "\"destination_conf\":\"file:///tmp/sluice-test/%s/{DATE}\","
                            + "\"output_options\":{\"field_names\":[\"timestamp\",\"ClientIP\",\"EdgeResponseStatus\"]},"
                            + "\"max_upload_records\":%d}",
                        id, customer, DATASET, enabled, customer, maxRecords));
        return this;
    }

    /** A job given as raw JSON, for options the builder does not cover. */
    public TestConfigs rawJob(String json) {
        jobs.add(json);
        return this;
    }

    /** Marks the snapshot {@code "force": true}, past the mass-change guard. */
    public TestConfigs forced() {
        force = true;
        return this;
    }

    public String json() {
        return "{\"version\":"
                + version
                + (force ? ",\"force\":true" : "")
                + ",\"jobs\":["
                + jobs.stream().collect(Collectors.joining(","))
                + "]}";
    }
}
