package dev.sluice.savepoints;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.EmbeddedKafka;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.route.RouteFunction;
import dev.sluice.schemas.LogEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inspects savepoints of the real job: Kafka and an S3 server on 127.0.0.1, the Sluice job
 * unbounded on a MiniCluster with RocksDB, batch limits far from reached so every routed record is
 * still buffered. Two savepoints: a canonical one while only the start config (version 1) is known,
 * and a native one at a stop without drain after config version 2 added a job for a customer whose
 * logs were dropped before.
 */
class InspectCommandITCase {

    private static final int PARALLELISM = 2;
    private static final int CUSTOMERS = 5;

    /** Customers 1–4 have jobs 1–4 from the start; customer 5 only gets job 5 in version 2. */
    private static final int CONFIGURED_AT_START = 4;

    private static final String LATE_CUSTOMER = customer(5);
    private static final int RECORDS_PER_CUSTOMER = 300;
    private static final long FIRST_MICROS = 1_731_579_300_000_000L;
    private static final String FIRST_EVENT_TIME = "2024-11-14T10:15:00Z";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BUCKET = "savepoint-logs";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(fastAccumulatorReports())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @TempDir static Path dir;

    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;

    /** Canonical savepoint: jobs 1–4 buffered, no config update accepted. */
    private static String startConfigSavepoint;

    /** Native savepoint at the stop: jobs 1–5 buffered, config version 2 in broadcast state. */
    private static String updatedConfigSavepoint;

    /** Records of customer 5 routed to job 5 after version 2 was accepted. */
    private static long lateJobRecords;

    @BeforeAll
    static void runJobAndTakeSavepoints(@InjectMiniCluster MiniCluster cluster) throws Exception {
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"));
        s3 = EmbeddedS3.start(0, dir.resolve("s3"), "test-key", "test-secret");
        s3.createBucket(BUCKET);
        Configuration conf = jobConfiguration();
        kafka.createTopic(conf.get(SluiceOptions.LOGS_TOPIC), PARALLELISM);
        kafka.createTopic(conf.get(SluiceOptions.CONFIG_TOPIC), 1);
        kafka.createTopic(conf.get(SluiceOptions.DLQ_TOPIC), 1);

        // The extension makes its cluster the context environment only around each test.
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, PARALLELISM);
        env.configure(conf);
        env.setParallelism(PARALLELISM);
        SluiceJob.define(env, conf, config(1, CONFIGURED_AT_START));
        JobClient job = env.executeAsync("sluice-savepoint-source");
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            takeSavepoints(job, producer, conf);
        } catch (Exception | AssertionError e) {
            job.cancel();
            throw e;
        }
    }

    @AfterAll
    static void stopServers() {
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void reportsEveryJobsBufferAsJson() throws Exception {
        CommandRun run = CommandRun.of("inspect", startConfigSavepoint, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("kind").asText()).isEqualTo("savepoint");
        assertThat(report.get("format").asText()).isEqualTo("canonical");
        assertThat(report.get("state_backend").asText()).isEqualTo("hashmap");
        assertThat(report.get("config").get("stored").asBoolean()).isFalse();
        assertThat(report.get("config").get("note").asText()).isEqualTo(StoredConfig.NONE_STORED);
        assertThat(report.get("warnings")).isEmpty();
        assertThat(jobIds(report)).containsExactly(1L, 2L, 3L, 4L);
        for (JsonNode job : report.get("jobs")) {
            assertThat(job.get("buffered_records").asLong()).isEqualTo(RECORDS_PER_CUSTOMER);
            assertThat(job.get("buffered_bytes").asLong()).isPositive();
            assertThat(job.get("next_seq").asLong()).isZero();
            assertThat(job.get("oldest_pending").asText()).isEqualTo(FIRST_EVENT_TIME);
            assertThat(job.get("records_in").asLong()).isEqualTo(RECORDS_PER_CUSTOMER);
            assertThat(job.get("records_emitted").asLong()).isZero();
        }
        assertThat(report.get("totals").get("buffered_records").asLong())
                .isEqualTo(CONFIGURED_AT_START * RECORDS_PER_CUSTOMER);
    }

    @Test
    void reportsTheAcceptedConfigUpdateAndTheJobItAdded() throws Exception {
        CommandRun run = CommandRun.of("inspect", updatedConfigSavepoint);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Snapshot   savepoint (native), checkpoint id ")
                .contains("keyed state read with rocksdb")
                .contains("Config     version 2 with 5 jobs (broadcast state)")
                .doesNotContain("warning");
        Map<Long, String[]> rows = tableRows(run.out());
        assertThat(rows).containsOnlyKeys(1L, 2L, 3L, 4L, 5L);
        String perCustomer = Long.toString(RECORDS_PER_CUSTOMER);
        for (long job = 1; job <= CONFIGURED_AT_START; job++) {
            // JOB, BUFFERED RECORDS, BUFFERED BYTES, NEXT SEQ, OLDEST PENDING, IN, EMITTED
            String[] row = rows.get(job);
            assertThat(row[1]).as("job %d buffered", job).isEqualTo(perCustomer);
            assertThat(row[3]).as("job %d next seq", job).isEqualTo("0");
            assertThat(row[4]).as("job %d oldest", job).isEqualTo(FIRST_EVENT_TIME);
            assertThat(row[5]).as("job %d records in", job).isEqualTo(perCustomer);
            assertThat(row[6]).as("job %d records emitted", job).isEqualTo("0");
        }
        assertThat(lateJobRecords).isPositive();
        assertThat(rows.get(5L)[1]).isEqualTo(Long.toString(lateJobRecords));
        assertThat(rows.get(5L)[5]).as("records in").isEqualTo(Long.toString(lateJobRecords));
    }

    @Test
    void refusesASavepointOfAnotherJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(0, Long.MAX_VALUE)
                .keyBy(n -> n % 10, Types.LONG)
                .map(new CountPerKey())
                .uid("counter")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("another job");
        String other = stopWithSavepoint(job, dir.resolve("other-job").toUri().toString());

        CommandRun run = CommandRun.of("inspect", other);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("has no operator with uid \"buffer\"")
                .contains("so it is not a savepoint of the Sluice job")
                .contains("operator(s)");
    }

    /**
     * Phase 1: every customer's records, a canonical savepoint once all are routed or dropped.
     * Phase 2: config version 2, records of customer 5 until job 5 routes them, then the stop.
     */
    private static void takeSavepoints(
            JobClient job, KafkaProducer<byte[], byte[]> producer, Configuration conf)
            throws Exception {
        String savepoints = dir.resolve("savepoints").toUri().toString();
        for (int c = 1; c <= CUSTOMERS; c++) {
            produceLogs(producer, conf, customer(c), 0, RECORDS_PER_CUSTOMER);
        }
        awaitCounts(
                job,
                RouteFunction.ROUTED_BY_JOB,
                routed -> sum(routed) == CONFIGURED_AT_START * RECORDS_PER_CUSTOMER);
        awaitCounts(
                job,
                RouteFunction.UNCONFIGURED_BY_CUSTOMER,
                dropped -> sum(dropped) == RECORDS_PER_CUSTOMER);
        startConfigSavepoint =
                job.triggerSavepoint(savepoints, SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);

        producer.send(
                new ProducerRecord<>(
                        conf.get(SluiceOptions.CONFIG_TOPIC),
                        config(2, CUSTOMERS).getBytes(StandardCharsets.UTF_8)));
        lateJobRecords = produceUntilRouted(job, producer, conf);
        updatedConfigSavepoint =
                job.stopWithSavepoint(false, savepoints, SavepointFormatType.NATIVE)
                        .get(60, TimeUnit.SECONDS);
    }

    /** Stops a job that has just been submitted; its tasks must be running first. */
    private static String stopWithSavepoint(JobClient job, String target) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return job.stopWithSavepoint(false, target, SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // "Not all required tasks are currently running": the job is still deploying.
                assertThat(System.nanoTime())
                        .as("savepoint of %s: %s", job.getJobID(), e)
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /**
     * Sends customer 5's records one at a time until job 5 routes one, which proves version 2
     * reached the route operator and therefore precedes any later savepoint barrier on the
     * broadcast input of the buffer too. Returns how many records job 5 got.
     */
    private static long produceUntilRouted(
            JobClient job, KafkaProducer<byte[], byte[]> producer, Configuration conf)
            throws Exception {
        int sent = RECORDS_PER_CUSTOMER;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counts(job, RouteFunction.ROUTED_BY_JOB).getOrDefault("5", 0L) == 0) {
            assertThat(System.nanoTime()).as("job 5 routed a record in time").isLessThan(deadline);
            produceLogs(producer, conf, LATE_CUSTOMER, sent++, 1);
            Thread.sleep(100);
        }
        int total = sent;
        // Every record of customer 5 is either routed to job 5 or dropped as unconfigured.
        awaitCounts(
                job,
                RouteFunction.UNCONFIGURED_BY_CUSTOMER,
                dropped -> dropped.getOrDefault(LATE_CUSTOMER, 0L) + routedToLateJob(job) == total);
        return routedToLateJob(job);
    }

    private static long routedToLateJob(JobClient job) {
        try {
            return counts(job, RouteFunction.ROUTED_BY_JOB).getOrDefault("5", 0L);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitCounts(
            JobClient job, String accumulator, Predicate<Map<String, Long>> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Long> counts = counts(job, accumulator);
        while (!done.test(counts)) {
            assertThat(System.nanoTime())
                    .as("%s reached in time: %s", accumulator, counts)
                    .isLessThan(deadline);
            Thread.sleep(100);
            counts = counts(job, accumulator);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> counts(JobClient job, String accumulator) throws Exception {
        Object value = job.getAccumulators().get(10, TimeUnit.SECONDS).get(accumulator);
        return value == null ? new HashMap<>() : (Map<String, Long>) value;
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Configuration jobConfiguration() {
        Configuration conf = new Configuration();
        conf.set(SluiceOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(SluiceOptions.LOGS_TOPIC, "logs");
        conf.set(SluiceOptions.CONFIG_TOPIC, "config");
        conf.set(SluiceOptions.DLQ_TOPIC, "dlq");
        conf.set(SluiceOptions.GROUP_ID, "savepoint-itcase");
        // Production's backend: its native savepoints need the RocksDB reader.
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return SluiceJob.withDefaults(conf);
    }

    /** Accumulators travel with TaskManager heartbeats, every 10 s by default. */
    private static Configuration fastAccumulatorReports() {
        Configuration conf = new Configuration();
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(200));
        return conf;
    }

    /** A snapshot with jobs 1..{@code jobs}, one per customer, limits never reached here. */
    private static String config(int version, int jobs) {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= jobs; i++) {
            entries.add(
                    String.format(
                            Locale.ROOT,
                            "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                                    + " \"destination_conf\": \"s3://%s/%s/{DATE}?endpoint=%s"
                                    + "&access-key-id=%s&secret-access-key=%s\","
                                    + " \"output_options\":"
                                    + " {\"field_names\": [\"timestamp\", \"RecordId\"]},"
                                    + " \"max_upload_interval_seconds\": 300}",
                            i,
                            customer(i),
                            BUCKET,
                            customer(i),
                            s3.endpoint(),
                            s3.accessKey(),
                            s3.secretKey()));
        }
        return "{\"version\": " + version + ", \"jobs\": [" + String.join(",", entries) + "]}";
    }

    private static String customer(int i) {
        return String.format(Locale.ROOT, "cust-%02d", i);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void produceLogs(
            KafkaProducer<byte[], byte[]> producer,
            Configuration conf,
            String customer,
            int from,
            int count) {
        for (int n = from; n < from + count; n++) {
            producer.send(
                    new ProducerRecord<>(
                            conf.get(SluiceOptions.LOGS_TOPIC), logEvent(customer, n)));
        }
        producer.flush();
    }

    private static byte[] logEvent(String customer, int n) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("RecordId", customer + ":" + n);
        try {
            ByteBuffer buffer =
                    LogEvent.newBuilder()
                            .setCustomerId(customer)
                            .setDataset("http_requests")
                            .setTimestampMicros(FIRST_MICROS + n * 1_000L)
                            .setFields(fields)
                            .build()
                            .toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> jobIds(JsonNode report) {
        List<Long> ids = new ArrayList<>();
        report.get("jobs").forEach(job -> ids.add(job.get("job_id").asLong()));
        return ids;
    }

    /** The text report's table, by job id; columns as printed, split on blanks. */
    private static Map<Long, String[]> tableRows(String text) {
        Map<Long, String[]> rows = new HashMap<>();
        text.lines()
                .map(String::trim)
                .filter(l -> l.matches("^\\d+ .*"))
                .forEach(
                        line -> {
                            String[] columns = line.split("\\s+");
                            rows.put(Long.parseLong(columns[0]), columns);
                        });
        return rows;
    }

    /** Keyed state of some other job, under a uid that Sluice does not use. */
    static final class CountPerKey extends RichMapFunction<Long, Long> {

        private static final long serialVersionUID = 1L;

        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public Long map(Long n) throws Exception {
            long next = count.value() == null ? 1 : count.value() + 1;
            count.update(next);
            return next;
        }
    }
}
