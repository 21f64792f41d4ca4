package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.tools.ConfigCommand;
import dev.sluice.tools.JobsCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jobs' status end to end, on a Kafka broker, an S3 server and a MiniCluster: jobs are added
 * with {@code bin/sluice config publish}, one of them bound for a bucket that does not exist;
 * {@code bin/sluice jobs status --json} then shows the good ones' {@code last_complete} and the
 * broken one's {@code last_error} with its reason. The job is stopped with a savepoint and
 * restarted from it: the statuses are kept in state and go on counting from where they were. A
 * batch left open shows in {@code oldest_buffered}, cleared once its batch commits.
 */
class JobStatusITCase extends ServersTestBase {

    private static final String NAME = "job-status";
    private static final String BUCKET = "job-status";
    private static final String PARKED = "job-status-parked";
    private static final String MISSING = "job-status-missing";

    /** One batch per customer and phase: each job's batches close at this many records. */
    private static final int PER_PHASE = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a command printed and returned. */
    private record Run(int status, String out, String err) {}

    private static String job(long id, String customer, String bucket) {
        return String.format(
                Locale.ROOT,
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                        + " \"enabled\": true, \"destination_conf\": \"%s\","
                        + " \"max_upload_records\": %d, \"output_options\": {\"output_type\":"
                        + " \"ndjson\", \"field_names\": [\"RecordId\", \"Customer\"]}}",
                id,
                customer,
                TenantFixture.destination(s3, bucket, customer),
                PER_PHASE);
    }

    @Test
    void publishedJobsShowTheirStatusAndKeepItAcrossASavepoint() throws Exception {
        s3.createBucket(BUCKET);
        s3.createBucket(PARKED);
        createTopics(NAME);
        Path start =
                Files.writeString(
                        dir.resolve("start.json"),
                        "{\"version\": 1, \"jobs\": [" + job(1, "alpha", BUCKET) + "]}");
        Configuration conf = jobConfiguration(NAME, false);
        conf.set(SluiceOptions.PARK_DESTINATION, TenantFixture.destination(s3, PARKED, "parked"));
        conf.set(SluiceOptions.STATUS_MIN_INTERVAL, Duration.ofMillis(500));
        JobClient job = start(conf, Files.readString(start), null);

        assertThat(publish(start, "beta.json", upsert(2, job(2, "beta", BUCKET))).status())
                .isZero();
        Run broken = publish(start, "gamma.json", upsert(3, job(3, "gamma", MISSING)));
        assertThat(broken.status()).as(broken.out() + broken.err()).isZero();
        assertThat(broken.out()).contains("ACCEPTED").contains("published").contains("job/3");
        Run refused = publish(start, "none.json", "{\"version\": 4, \"jobs\": []}");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.out()).contains("not published");
        probeUntilRouted(job, "beta", 2);
        probeUntilRouted(job, "gamma", 3);

        produce("alpha", "one-");
        produce("beta", "one-");
        produce("gamma", "one-");
        Map<Long, JsonNode> status =
                awaitStatus(
                        s ->
                                delivered(s, 1) >= PER_PHASE
                                        && delivered(s, 2) >= PER_PHASE
                                        && !s.get(3L).get("last_error").isNull());
        assertHealthy(status.get(1L), "alpha");
        assertHealthy(status.get(2L), "beta");
        JsonNode gamma = status.get(3L);
        assertThat(gamma.get("state").asText()).isEqualTo("failing");
        assertThat(gamma.get("customer_id").asText()).isEqualTo("gamma");
        assertThat(gamma.get("last_complete").isNull()).as("never delivered").isTrue();
        assertThat(Instant.parse(gamma.get("last_error").asText())).isBefore(Instant.now());
        assertThat(gamma.get("error_message").asText())
                .containsIgnoringCase("bucket")
                .doesNotContain(s3.secretKey());
        assertThat(gamma.get("parked_batches").asLong()).isPositive();
        assertThat(statusJson("--failing"))
                .extracting(n -> n.get("id").asLong())
                .containsExactly(3L);
        assertThat(statusJson("--customer", "beta"))
                .extracting(n -> n.get("id").asLong())
                .containsExactly(2L);
        assertThat(delivered(status, 1)).isEqualTo(idsIn(1));

        String savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        assertThat(statusJson("--job", "3").get(0).get("state").asText())
                .as("on the topic while the job is down")
                .isEqualTo("failing");

        JobClient restored = start(conf, null, savepoint);
        long before = delivered(status, 1);
        produce("alpha", "two-");
        Map<Long, JsonNode> after = awaitStatus(s -> delivered(s, 1) > before);
        assertThat(delivered(after, 1))
                .as("counted on from the restored state, not from zero")
                .isEqualTo(before + PER_PHASE)
                .isEqualTo(idsIn(1));
        assertThat(after.get(3L).get("state").asText()).isEqualTo("failing");
        assertThat(after.get(3L).get("error_message").asText())
                .isEqualTo(gamma.get("error_message").asText());
        assertThat(after.get(1L).get("oldest_buffered").isNull())
                .as("its last batch committed: nothing buffered")
                .isTrue();

        // A batch left open (fewer records than its limit): the status shows since when.
        Instant sent = Instant.now().minusMillis(1);
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs", "alpha", "three-", 10);
        Map<Long, JsonNode> waiting = awaitStatus(s -> !s.get(1L).get("oldest_buffered").isNull());
        assertThat(Instant.parse(waiting.get(1L).get("oldest_buffered").asText()))
                .isAfter(sent)
                .isBefore(Instant.now());
        restored.cancel().get(1, TimeUnit.MINUTES);
    }

    private static JobClient start(Configuration conf, String startConfig, String savepoint)
            throws Exception {
        Configuration c = new Configuration(conf);
        if (savepoint != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = environment(c);
        SluiceJob.define(env, c, startConfig);
        return env.executeAsync("sluice-" + NAME);
    }

    private static String upsert(long version, String job) {
        return "{\"version\": " + version + ", \"upsert\": " + job + "}";
    }

    private static Run publish(Path start, String file, String update) throws Exception {
        Path path = Files.writeString(dir.resolve(file), update);
        return run(
                new CommandLine(new ConfigCommand()),
                "publish",
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--config-topic=" + NAME + "-config",
                "--start-config=" + start,
                path.toString());
    }

    private static Run run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    /** {@code jobs status --json} with {@code filters}, as parsed JSON. */
    private static List<JsonNode> statusJson(String... filters) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "status",
                                "--json",
                                "--bootstrap-servers=" + kafka.bootstrapServers(),
                                "--status-topic=" + NAME + "-status",
                                "--config-topic=" + NAME + "-config",
                                "--start-config=" + dir.resolve("start.json")));
        args.addAll(List.of(filters));
        Run run = run(new CommandLine(new JobsCommand()), args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain(s3.secretKey());
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(run.out()).forEach(rows::add);
        return rows;
    }

    private static Map<Long, JsonNode> awaitStatus(Predicate<Map<Long, JsonNode>> done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Map<Long, JsonNode> byId = new HashMap<>();
        while (System.nanoTime() < deadline) {
            byId.clear();
            statusJson().forEach(n -> byId.put(n.get("id").asLong(), n));
            if (byId.keySet().containsAll(List.of(1L, 2L, 3L)) && done.test(byId)) {
                return byId;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("jobs status never showed what was expected: " + byId);
    }

    private static long delivered(Map<Long, JsonNode> status, long job) {
        return status.get(job).get("records_delivered").asLong();
    }

    private static void assertHealthy(JsonNode s, String customer) {
        assertThat(s.get("state").asText()).isEqualTo("healthy");
        assertThat(s.get("customer_id").asText()).isEqualTo(customer);
        assertThat(Instant.parse(s.get("last_complete").asText())).isBefore(Instant.now());
        assertThat(s.get("last_error").isNull()).isTrue();
        assertThat(s.get("error_message").isNull()).isTrue();
    }

    /** The records of {@code job} read back from the bucket. */
    private static long idsIn(long job) throws Exception {
        List<DeliveredObject> objects = new BucketReader(s3Client, BUCKET).readNew();
        List<String> ids = DeliveredRecords.ids(objects, job);
        assertThat(ids).doesNotHaveDuplicates();
        return ids.size();
    }

    private static void produce(String customer, String tag) {
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs", customer, tag, PER_PHASE);
    }

    /**
     * Sends probes of {@code customer} until the router routes one to {@code jobId}: the upsert is
     * in force there. The probes make up a batch of their own, delivered or parked with the rest.
     */
    private static void probeUntilRouted(JobClient job, String customer, long jobId)
            throws Exception {
        for (int probe = 0;
                RoutedCounts.of(job).getOrDefault(Long.toString(jobId), 0L) == 0;
                probe++) {
            TenantFixture.produce(
                    kafka.bootstrapServers(), NAME + "-logs", customer, "probe-" + probe + "-", 1);
            Thread.sleep(200);
        }
    }
}
