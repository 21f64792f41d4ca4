package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.schemas.SingleObjectEncoding;
import dev.sluice.sink.ObjectSink;
import dev.sluice.tools.DeadLettersCommand;
import dev.sluice.tools.SchemaCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forwarders upgrade before the job: records of a newer schema (added fields with defaults) and of
 * an older one (no {@code fields}, which the reader defaults) arrive beside current-schema records
 * once {@code bin/sluice schema publish} put their schemas on the schema topic, and are delivered
 * exactly once. Records of a schema not yet published are dead-lettered with their fingerprint, and
 * {@code bin/sluice dead-letters replay} delivers them once it is; a second replay sends nothing. A
 * savepoint taken with the extra schemas known restores into a job that reads no schema topic at
 * all, and still decodes them. No task may fail: the restart strategy is none.
 */
class SchemaUpgradeITCase extends ServersTestBase {

    private static final String NAME = "schemas";
    private static final String BUCKET = "schemas";
    private static final long JOB = 1;
    private static final String CUSTOMER = "alpha";
    private static final long T0_MICROS = 1_731_579_300_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Schema NEWER = ForwarderSchemas.newer("forwarder");
    private static final Schema OLDER = ForwarderSchemas.older();
    private static final Schema NEWEST = ForwarderSchemas.newer("forwarder", "colo");

    private static final JobMetrics METRICS = new JobMetrics();

    @RegisterExtension
    static final MiniClusterExtension REPORTING = METRICS.cluster(fastHeartbeats());

    /** Ids of the records that carry one; the older schema's records are told by their time. */
    private final List<String> expectedIds = new ArrayList<>();

    private final List<Long> expectedOlderMicros = new ArrayList<>();

    @Test
    void forwardersUpgradeBeforeTheJobAndNothingIsLost() throws Exception {
        s3.createBucket(BUCKET);
        createTopics(NAME);
        kafka.createCompactedTopic(NAME + "-schemas");
        assertThat(publish(NEWER)).contains("+ forwarder").contains("published");
        assertThat(publish(OLDER)).contains("- fields: not written, read as its default {}");

        JobClient job = start();
        awaitSchemasKnown(job, 2);
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs", CUSTOMER, "current-", 50);
        expectIds("current-", 50);
        produce(NEWER, "newer-", 40);
        produceOlder(30);
        produce(NEWEST, "newest-", 5);
        RoutedCounts.await(job, routed -> routed.getOrDefault("1", 0L) == 120);
        List<String> reasons = awaitLetters(5);
        assertThat(reasons).containsOnly("unknown schema fingerprint " + hex(NEWEST));

        assertThat(publish(NEWEST)).contains("+ colo").contains("published");
        awaitSchemasKnown(job, 3);
        assertThat(replay()).startsWith("replayed 5; waiting for their schema 0");
        assertThat(replay()).startsWith("replayed 0; waiting for their schema 0");
        RoutedCounts.await(job, routed -> routed.getOrDefault("1", 0L) == 125);
        assertThat(schemaList()).contains(hex(NEWER) + "  decoded").contains(hex(NEWEST));

        String savepoint = stop(job);
        JobClient restored = restoreWithoutSchemaTopic(savepoint);
        produce(NEWEST, "after-restore-", 10);
        RoutedCounts.await(restored, routed -> routed.getOrDefault("1", 0L) == 10);
        RoutedCounts.afterDrain(restored, dir.resolve("drained"));

        assertDeliveredOnce(new BucketReader(s3Client, BUCKET).readNew());
        // The reader's group went past the five letters above: nothing came after them.
        assertThat(
                        DeadLetterTopic.reasons(
                                kafka.bootstrapServers(), NAME + "-dlq", 1, Duration.ofSeconds(3)))
                .as("dead-lettered after the replay")
                .isEmpty();
    }

    private JobClient start() throws Exception {
        Configuration conf = configuration();
        StreamExecutionEnvironment env = environment(conf);
        SluiceJob.define(env, conf, config());
        return env.executeAsync("sluice-" + NAME);
    }

    /** The same job from the savepoint, reading no schema topic: schemas come from state. */
    private JobClient restoreWithoutSchemaTopic(String savepoint) throws Exception {
        Configuration conf = configuration();
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        // The schema source's offsets have no operator left to go to.
        conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        StreamExecutionEnvironment env = environment(conf);
        SluicePipeline.define(
                SluiceJob.logs(env, conf),
                SluiceJob.configUpdates(env, conf),
                (String) null,
                SluiceOptions.guard(conf),
                new ObjectSink(),
                SluiceJob.deadLetterSink(conf));
        return env.executeAsync("sluice-" + NAME + "-restored");
    }

    private static Configuration configuration() {
        Configuration conf = jobConfiguration(NAME, false);
        conf.set(SluiceOptions.SCHEMA_TOPIC, NAME + "-schemas");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    private static String config() {
        return String.format(
                "{\"version\": 1, \"jobs\": [{\"id\": %d, \"customer_id\": \"%s\","
                        + " \"dataset\": \"http_requests\", \"destination_conf\": \"%s\","
                        + " \"output_options\": {\"field_names\": [\"timestamp\", \"RecordId\"],"
                        + " \"timestamp_format\": \"unixnano\"}}]}",
                JOB, CUSTOMER, TenantFixture.destination(s3, BUCKET, CUSTOMER));
    }

    private static String stop(JobClient job) throws Exception {
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoint").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        return savepoint;
    }

    /** Every router subtask decodes {@code count} schemas besides its own. */
    private static void awaitSchemasKnown(JobClient job, long count) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        List<Long> known = METRICS.gauges(job.getJobID(), "writerSchemas");
        while (known.size() < PARALLELISM || !known.stream().allMatch(k -> k == count)) {
            assertThat(System.currentTimeMillis())
                    .as("schemas known: %s", known)
                    .isLessThan(deadline);
            Thread.sleep(200);
            known = METRICS.gauges(job.getJobID(), "writerSchemas");
        }
    }

    private static String publish(Schema schema) throws Exception {
        String file = ForwarderSchemas.write(schema, dir.resolve(hex(schema) + ".avsc")).toString();
        return run(
                new SchemaCommand(),
                "publish",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--schema-topic",
                NAME + "-schemas",
                file);
    }

    private static String schemaList() {
        return run(
                new SchemaCommand(),
                "list",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--schema-topic",
                NAME + "-schemas");
    }

    private static String replay() {
        return run(
                new DeadLettersCommand(),
                "replay",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--dlq-topic",
                NAME + "-dlq",
                "--logs-topic",
                NAME + "-logs",
                "--schema-topic",
                NAME + "-schemas",
                "--reason",
                "unknown-schema",
                "--since",
                "1h");
    }

    /** Runs a command as bin/sluice would, and returns what it printed; it must succeed. */
    private static String run(Object command, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        int status = cli.execute(args);
        assertThat(status).as("%s exit status; it printed: %s", args[0], out).isZero();
        return out.toString();
    }

    private void produce(Schema schema, String tag, int count) {
        try (KafkaProducer<byte[], byte[]> producer =
                TenantFixture.producer(kafka.bootstrapServers())) {
            for (int n = 0; n < count; n++) {
                byte[] value = ForwarderSchemas.event(schema, CUSTOMER, tag + n, T0_MICROS + n);
                producer.send(new ProducerRecord<>(NAME + "-logs", null, value));
            }
            producer.flush();
        }
        expectIds(tag, count);
    }

    /** Records of the older schema have no fields: each is told by its own event time. */
    private void produceOlder(int count) {
        try (KafkaProducer<byte[], byte[]> producer =
                TenantFixture.producer(kafka.bootstrapServers())) {
            for (int n = 0; n < count; n++) {
                long micros = T0_MICROS + 1_000_000 + n;
                byte[] value = ForwarderSchemas.event(OLDER, CUSTOMER, null, micros);
                producer.send(new ProducerRecord<>(NAME + "-logs", null, value));
                expectedOlderMicros.add(micros);
            }
            producer.flush();
        }
    }

    private void expectIds(String tag, int count) {
        for (int n = 0; n < count; n++) {
            expectedIds.add(CUSTOMER + ":" + tag + n);
        }
    }

    private void assertDeliveredOnce(List<DeliveredObject> objects) throws Exception {
        List<String> ids = new ArrayList<>();
        List<Long> olderMicros = new ArrayList<>();
        for (DeliveredObject object : objects) {
            assertThat(object.jobId()).isEqualTo(JOB);
            for (String line : object.lines()) {
                JsonNode record = JSON.readTree(line);
                if (record.get("RecordId").isNull()) {
                    olderMicros.add(record.get("timestamp").asLong() / 1_000);
                } else {
                    ids.add(record.get("RecordId").asText());
                }
            }
        }
        assertThat(ids).hasSameSizeAs(expectedIds).containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(olderMicros)
                .hasSameSizeAs(expectedOlderMicros)
                .containsExactlyInAnyOrderElementsOf(expectedOlderMicros);
    }

    private static List<String> awaitLetters(int count) {
        return DeadLetterTopic.reasons(
                kafka.bootstrapServers(), NAME + "-dlq", count, Duration.ofSeconds(30));
    }

    private static String hex(Schema schema) {
        return SingleObjectEncoding.hex(SchemaNormalization.parsingFingerprint64(schema));
    }
}
