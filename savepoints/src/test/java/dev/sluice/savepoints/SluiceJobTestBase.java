package dev.sluice.savepoints;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.local.EmbeddedKafka;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.schemas.LogEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
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
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real Sluice job for the savepoint tools to work on: Kafka and an S3 server on 127.0.0.1
 * (one of each per test class), the job unbounded on a MiniCluster with RocksDB, its topics {@code
 * logs}, {@code config} and {@code dlq}, and every job delivering to one bucket.
 */
abstract class SluiceJobTestBase {

    static final int PARALLELISM = 2;

    /** The event time of every customer's record 0: 2024-11-14T10:15:00Z. */
    static final long FIRST_MICROS = 1_731_579_300_000_000L;

    static final String FIRST_EVENT_TIME = "2024-11-14T10:15:00Z";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String BUCKET = "savepoint-logs";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(fastAccumulatorReports())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @TempDir static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedS3 s3;

    @BeforeAll
    static void startServers() {
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"));
        s3 = EmbeddedS3.start(0, dir.resolve("s3"), "test-key", "test-secret");
        s3.createBucket(BUCKET);
        Configuration conf = jobConfiguration();
        kafka.createTopic(conf.get(SluiceOptions.LOGS_TOPIC), PARALLELISM);
        kafka.createTopic(conf.get(SluiceOptions.CONFIG_TOPIC), 1);
        kafka.createTopic(conf.get(SluiceOptions.DLQ_TOPIC), 1);
        kafka.createCompactedTopic(conf.get(SluiceOptions.STATUS_TOPIC));
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

    /**
     * Submits the job with {@code startConfig} to {@code cluster}, restored from {@code savepoint}
     * unless it is null. The extension makes its cluster the context environment only around each
     * test, so {@code @BeforeAll} code passes the cluster in.
     */
    static JobClient startJob(MiniCluster cluster, String startConfig, String savepoint)
            throws Exception {
        return startJob(cluster, startConfig, savepoint, new Configuration());
    }

    /** {@link #startJob(MiniCluster, String, String)} with {@code settings} over the defaults. */
    static JobClient startJob(
            MiniCluster cluster, String startConfig, String savepoint, Configuration settings)
            throws Exception {
        Configuration conf = jobConfiguration();
        conf.addAll(settings);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, PARALLELISM);
        env.configure(conf);
        env.setParallelism(PARALLELISM);
        SluiceJob.define(env, conf, startConfig);
        JobClient job = env.executeAsync("sluice-savepoint-source");
        awaitAllTasksRunning(cluster, job);
        return job;
    }

    /**
     * A savepoint needs every task running; on a loaded machine the chained buffer and sink take a
     * while to initialize, so tests wait for it rather than race it. A graph without vertices is a
     * job still being set up, not one whose tasks all run.
     */
    static void awaitAllTasksRunning(MiniCluster cluster, JobClient job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            int vertices = 0;
            int running = 0;
            for (var vertex :
                    cluster.getExecutionGraph(job.getJobID())
                            .get(10, TimeUnit.SECONDS)
                            .getAllExecutionVertices()) {
                vertices++;
                if (vertex.getExecutionState() == ExecutionState.RUNNING) {
                    running++;
                }
            }
            if (vertices > 0 && running == vertices) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + job.getJobID() + " did not start all its tasks in 60 s");
    }

    static Configuration jobConfiguration() {
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

    /** A snapshot with jobs 1..{@code jobs}, job i for customer i. */
    static String config(long version, int jobs) {
        Map<Long, String> customers = new TreeMap<>();
        for (int i = 1; i <= jobs; i++) {
            customers.put((long) i, customer(i));
        }
        return config(version, customers);
    }

    /**
     * A snapshot with one job per entry of {@code customerByJob}, each delivering to the bucket
     * under its customer's prefix; limits never reached in these tests.
     */
    static String config(long version, Map<Long, String> customerByJob) {
        List<String> entries = new ArrayList<>();
        new TreeMap<>(customerByJob)
                .forEach(
                        (id, customer) ->
                                entries.add(
                                        String.format(
                                                Locale.ROOT,
                                                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\":"
                                                    + " \"http_requests\", \"destination_conf\":"
                                                    + " \"s3://%s/%s/{DATE}?endpoint=%s"
                                                    + "&access-key-id=%s&secret-access-key=%s\","
                                                    + " \"output_options\": {\"field_names\":"
                                                    + " [\"timestamp\", \"RecordId\"]},"
                                                    + " \"max_upload_interval_seconds\": 300}",
                                                id,
                                                customer,
                                                BUCKET,
                                                customer,
                                                s3.endpoint(),
                                                s3.accessKey(),
                                                s3.secretKey())));
        return "{\"version\": " + version + ", \"jobs\": [" + String.join(",", entries) + "]}";
    }

    static String customer(int i) {
        return String.format(Locale.ROOT, "cust-%02d", i);
    }

    static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Records {@code from}..{@code from + count - 1} of {@code customer}, record n at n ms, spread
     * over the partitions so that every source reader and router subtask gets some.
     */
    static void produceLogs(
            KafkaProducer<byte[], byte[]> producer, String customer, int from, int count) {
        for (int n = from; n < from + count; n++) {
            producer.send(
                    new ProducerRecord<>("logs", n % PARALLELISM, null, logEvent(customer, n)));
        }
        producer.flush();
    }

    /** Sends a config update to the config topic. */
    static void produceConfig(KafkaProducer<byte[], byte[]> producer, String json) {
        producer.send(new ProducerRecord<>("config", json.getBytes(StandardCharsets.UTF_8)));
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
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitCounts(JobClient job, String accumulator, Predicate<Map<String, Long>> done)
            throws Exception {
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

    /** A map accumulator of the running job, such as {@code RouteFunction.ROUTED_BY_JOB}. */
    @SuppressWarnings("unchecked")
    static Map<String, Long> counts(JobClient job, String accumulator) throws Exception {
        Object value = job.getAccumulators().get(10, TimeUnit.SECONDS).get(accumulator);
        return value == null ? new HashMap<>() : (Map<String, Long>) value;
    }

    static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Stops a job with a canonical savepoint, draining it if asked, and waits for its end; returns
     * the savepoint's path.
     */
    static String stop(JobClient job, boolean drain) throws Exception {
        // startJob waited for every task to run, so the savepoint is not refused for that.
        String savepoint =
                job.stopWithSavepoint(
                                drain,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return savepoint;
    }

    /** A canonical savepoint of a job that is not Sluice: keyed state under uid "counter". */
    static String savepointOfAnotherJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(0, Long.MAX_VALUE)
                .keyBy(n -> n % 10, Types.LONG)
                .map(new CountPerKey())
                .uid("counter")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("another job");
        String target = dir.resolve("other-job").toUri().toString();
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

    /** Lines in the objects delivered to the bucket so far, by delivery job. */
    static Map<Long, Long> deliveredRecordsByJob() {
        try (S3Client client = s3.newClient()) {
            return new BucketReader(client, BUCKET)
                    .readNew().stream()
                            .collect(
                                    Collectors.groupingBy(
                                            DeliveredObject::jobId,
                                            Collectors.summingLong(o -> o.lines().size())));
        }
    }

    /** A map accumulator's counts by job id, which it keys as strings. */
    static Map<Long, Long> byJobId(Map<String, Long> counts) {
        Map<Long, Long> byId = new TreeMap<>();
        counts.forEach((id, count) -> byId.put(Long.parseLong(id), count));
        return byId;
    }

    /** A printed table's rows that start with a job id, by job id; columns split on blanks. */
    static Map<Long, String[]> tableRows(String text) {
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
