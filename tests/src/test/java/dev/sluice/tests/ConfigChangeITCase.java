package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.sink.ObjectSink;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A config update on the config topic, mid-run: one job is disabled and another enabled. Objects
 * show the change at the right point: the disabled job has everything it accepted before and
 * nothing after; the enabled job nothing before and everything after. One job writes CSV, read back
 * with a CSV parser; the others NDJSON, read back with a JSON parser.
 */
class ConfigChangeITCase extends ServersTestBase {

    private static final String NAME = "config-change";
    private static final String BUCKET = "config-change";
    private static final int PER_PHASE = 300;

    /** Job 1 (alpha) writes CSV, the others NDJSON. */
    private static String job(long id, String customer, boolean enabled) {
        return String.format(
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\", \"enabled\":"
                    + " %s, \"destination_conf\":"
                    + " \"s3://%s/%s?endpoint=%s&access-key-id=test-key&secret-access-key=test-secret\","
                    + " \"output_options\": {\"output_type\": \"%s\", \"field_names\":"
                    + " [\"RecordId\", \"Customer\"]}}",
                id, customer, enabled, BUCKET, customer, s3.endpoint(), id == 1 ? "csv" : "ndjson");
    }

    /** Config {@code version}: alpha enabled, beta and gamma as given. */
    private static String config(int version, boolean beta, boolean gamma) {
        return String.format(
                "{\"version\": %d, \"jobs\": [%s, %s, %s]}",
                version, job(1, "alpha", true), job(2, "beta", beta), job(3, "gamma", gamma));
    }

    @Test
    void aMidRunUpdateDisablesOneJobAndEnablesAnother() throws Exception {
        s3.createBucket(BUCKET);
        createTopics(NAME);
        String logs = NAME + "-logs";
        Configuration conf = jobConfiguration(NAME, false);
        StreamExecutionEnvironment env = environment(conf);
        SluicePipeline.define(
                SluiceJob.logs(env, conf),
                SluiceJob.configUpdates(env, conf),
                config(1, true, false),
                SluiceOptions.guard(conf),
                new ObjectSink(),
                SluiceJob.deadLetterSink(conf));
        JobClient job = env.executeAsync("sluice-config-change");

        produceAll("before-");
        RoutedCounts.await(
                job,
                routed ->
                        routed.getOrDefault("1", 0L) == PER_PHASE
                                && routed.getOrDefault("2", 0L) == PER_PHASE);
        TenantFixture.publishConfig(
                kafka.bootstrapServers(), NAME + "-config", config(2, false, true));
        probeUntilRouted(job);
        produceAll("after-");
        RoutedCounts.await(
                job,
                routed ->
                        routed.getOrDefault("1", 0L) == 2 * PER_PHASE
                                && routed.getOrDefault("3", 0L) >= PER_PHASE);
        Map<String, Long> routed = RoutedCounts.afterDrain(job, dir.resolve("savepoints"));

        List<DeliveredObject> objects = new BucketReader(s3Client, BUCKET).readNew();
        assertThat(idsOf(objects, 1)).hasSize(2 * PER_PHASE).doesNotHaveDuplicates();
        assertThat(idsOf(objects, 2))
                .hasSize(PER_PHASE)
                .allMatch(id -> id.startsWith("beta:before-"));
        List<String> gamma = idsOf(objects, 3);
        assertThat(gamma)
                .hasSize((int) (long) routed.get("3"))
                .doesNotHaveDuplicates()
                .allMatch(id -> id.startsWith("gamma:after-") || id.startsWith("gamma:probe-"));
        assertThat(gamma).filteredOn(id -> id.startsWith("gamma:after-")).hasSize(PER_PHASE);
    }

    private void produceAll(String tag) {
        for (String customer : List.of("alpha", "beta", "gamma")) {
            TenantFixture.produce(
                    kafka.bootstrapServers(), NAME + "-logs", customer, tag, PER_PHASE);
        }
    }

    /** Sends gamma probes until the router routes one: the update is then in force there. */
    private void probeUntilRouted(JobClient job) throws Exception {
        for (int probe = 0; RoutedCounts.of(job).getOrDefault("3", 0L) == 0; probe++) {
            TenantFixture.produce(
                    kafka.bootstrapServers(), NAME + "-logs", "gamma", "probe-" + probe + "-", 1);
            Thread.sleep(200);
        }
    }

    private static List<String> idsOf(List<DeliveredObject> objects, long jobId) throws Exception {
        List<String> ids = new ArrayList<>();
        for (DeliveredObject o : objects) {
            if (o.jobId() == jobId) {
                ids.addAll(jobId == 1 ? csvIds(o) : jsonIds(o));
            }
        }
        return ids;
    }

    private static List<String> jsonIds(DeliveredObject o) throws Exception {
        return DeliveredRecords.ids(o, null);
    }

    private static List<String> csvIds(DeliveredObject o) throws Exception {
        List<String> ids = new ArrayList<>();
        try (CSVParser csv = CSVParser.parse(String.join("\n", o.lines()), CSVFormat.RFC4180)) {
            for (CSVRecord record : csv) {
                assertThat(record.size()).isEqualTo(2);
                assertThat(record.get(1)).isEqualTo("alpha");
                ids.add(record.get(0));
            }
        }
        return ids;
    }
}
