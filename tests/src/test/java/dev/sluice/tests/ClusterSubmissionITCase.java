package dev.sluice.tests;

import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.local.EmbeddedKafka;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.FlinkRest;
import dev.sluice.local.PrometheusScrape;

import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sluice as users run it in production: the shaded job jar submitted over REST to a Flink session
 * cluster of separate JobManager and TaskManager processes (RocksDB state, checkpoints on disk),
 * against a Kafka broker and an S3 server on 127.0.0.1. The job is upgraded through a savepoint
 * taken over REST and loses a TaskManager to SIGKILL while records flow; the bucket, read back and
 * decompressed, holds every configured record exactly once, in its own customer's objects.
 */
class ClusterSubmissionITCase {

    private static final String NAME = "cluster";
    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir Path dir;

    private final Map<String, Set<String>> produced = new HashMap<>();

    /** Where the job parks a failing destination's batches, as a cluster job must name one. */
    private String park;

    @Test
    void upgradesThroughASavepointAndSurvivesALostTaskManager() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"));
                EmbeddedS3 s3 = EmbeddedS3.start(0, dir.resolve("s3"), "test-key", "test-secret");
                S3Client s3Client = s3.newClient();
                FlinkProcessCluster cluster =
                        FlinkProcessCluster.start(workDirectory(), clusterSettings())) {
            try {
                run(kafka, s3, s3Client, cluster);
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n" + cluster.logTails(), t);
            }
        }
    }

    private void run(
            EmbeddedKafka kafka, EmbeddedS3 s3, S3Client s3Client, FlinkProcessCluster cluster)
            throws Exception {
        kafka.createTopic(NAME + "-logs", 2);
        kafka.createTopic(NAME + "-config", 1);
        kafka.createTopic(NAME + "-dlq", 1);
        kafka.createCompactedTopic(SluiceOptions.STATUS_TOPIC.defaultValue());
        s3.createBucket(NAME);
        s3.createBucket(NAME + "-parked");
        park = TenantFixture.destination(s3, NAME + "-parked", "parked");
        // The jobs name their credential, as a cluster's must (inline keys would not outlive the
        // upgrade's restore without --config): the TaskManagers hold it as files.
        CredentialsDirectory.write(
                cluster.credentialsDir(), "store", s3.accessKey(), s3.secretKey());
        String jobs =
                TenantFixture.config(s3, NAME, id -> 1_000, 30)
                        .replace(
                                "access-key-id="
                                        + s3.accessKey()
                                        + "&secret-access-key="
                                        + s3.secretKey(),
                                "credentials=store");
        assertThat(jobs).doesNotContain(s3.secretKey());
        Path config = Files.writeString(dir.resolve("jobs.json"), jobs);
        String topic = NAME + "-logs";
        String servers = kafka.bootstrapServers();

        cluster.startTaskManager();
        cluster.startTaskManager();
        FlinkRest rest = new FlinkRest(cluster.restEndpoint());
        cluster.awaitTaskManagers(2, STARTUP);
        String jar = rest.uploadJar(RepositoryPaths.jobJar());

        // Refused arguments reach the submitter as the reason; the JobManager stays up.
        assertThatThrownBy(() -> rest.run(jar, List.of("--config", config.toString()), null))
                .isInstanceOf(FlinkRest.RestException.class)
                .hasMessageContaining("sluice.kafka.bootstrap-servers")
                .hasMessageContaining("is required");
        assertThat(rest.taskManagers()).isEqualTo(2);

        produce(servers, topic, "a", 1_000, 0);
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(jobArguments(servers));
        JobID first = rest.run(jar, args, null);
        rest.awaitRunning(first, STARTUP);

        BucketReader reader = new BucketReader(s3Client, NAME);
        List<DeliveredObject> delivered = new ArrayList<>();
        FlinkRest.await(
                "first objects",
                STARTUP,
                () -> delivered.addAll(reader.readNew()) && !delivered.isEmpty());
        String savepoint =
                rest.stopWithSavepoint(first, dir.resolve("savepoints"), Duration.ofMinutes(2));
        FlinkRest.await(
                "the stopped job to finish", STARTUP, () -> rest.state(first).equals("FINISHED"));

        // While no job runs: these wait in Kafka for the upgraded one.
        produce(servers, topic, "b", 600, 0);

        // The upgrade restores the savepoint, which holds the config: no --config needed.
        JobID upgraded = rest.run(jar, jobArguments(servers), savepoint);
        rest.awaitRunning(upgraded, STARTUP);

        CompletableFuture<Void> during =
                CompletableFuture.runAsync(() -> produce(servers, topic, "c", 1_000, 30));
        FlinkRest.await(
                "objects after the upgrade",
                STARTUP,
                () -> {
                    delivered.addAll(reader.readNew());
                    return deliveredIds(delivered).values().stream()
                            .flatMap(List::stream)
                            .anyMatch(id -> id.contains(":c"));
                });
        cluster.killTaskManager(0);
        cluster.startTaskManager();
        cluster.awaitTaskManagers(2, STARTUP);
        during.get();
        produce(servers, topic, "d", 400, 0);

        FlinkRest.await(
                "every configured record delivered",
                Duration.ofMinutes(3),
                () -> {
                    delivered.addAll(reader.readNew());
                    return deliveredIds(delivered).values().stream().mapToInt(List::size).sum()
                            >= expectedTotal();
                });
        assertThat(rest.failures(upgraded)).as("the lost TaskManager failed the job").isNotEmpty();
        PrometheusScrape taskManager = scrape(cluster.metricsPort(1));
        assertThat(taskManager.text())
                .as("Sluice's metrics on a TaskManager's Prometheus endpoint")
                .contains("flink_taskmanager_job_task_operator_sluice_recordsRouted")
                .contains("flink_taskmanager_job_task_operator_sluice_activeJobs");
        // Unset, the buffer takes a quarter of its slot's share of the TaskManager's heap:
        // -Xmx384m and one slot here, so 96 MiB (a little less if the JVM reports less heap).
        assertThat(taskManager.max(PrometheusScrape.SLUICE + "memoryBudgetBytes"))
                .as("the buffer's memory budget on a real TaskManager")
                .isBetween(0.95 * (96 << 20), 96.0 * (1 << 20));
        assertThat(taskManager.max(PrometheusScrape.SLUICE + "gzipLibdeflate"))
                .as("libdeflate loaded from the job jar on a real TaskManager")
                .isEqualTo(1.0);
        Thread.sleep(3_000); // a few more checkpoints: a duplicate would show now
        delivered.addAll(reader.readNew());
        rest.cancel(upgraded);

        assertExactlyOnce(delivered);
        assertThat(s3Client.listMultipartUploads(r -> r.bucket(NAME)).uploads())
                .as("multipart uploads left behind")
                .isEmpty();
    }

    /** Under target/, so the processes' logs outlive a failed run. */
    private static Path workDirectory() throws IOException {
        Path work = Path.of("target", "flink-cluster").toAbsolutePath();
        if (Files.exists(work)) {
            try (var old = Files.walk(work)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return work;
    }

    /** What a cluster operator sets once for all jobs (flink-conf/cluster/config.yaml's kind). */
    private static Map<String, String> clusterSettings() {
        return Map.ofEntries(
                Map.entry("taskmanager.numberOfTaskSlots", "1"),
                Map.entry("state.backend.type", "rocksdb"),
                Map.entry("execution.checkpointing.incremental", "true"),
                Map.entry("restart-strategy.type", "fixed-delay"),
                Map.entry("restart-strategy.fixed-delay.attempts", "20"),
                Map.entry("restart-strategy.fixed-delay.delay", "1 s"),
                // A killed TaskManager is noticed in seconds, not the default 50.
                Map.entry("heartbeat.interval", "1000"),
                Map.entry("heartbeat.timeout", "5000"),
                Map.entry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"));
    }

    private List<String> jobArguments(String servers) {
        return List.of(
                "--bootstrap-servers",
                servers,
                "--logs-topic",
                NAME + "-logs",
                "--config-topic",
                NAME + "-config",
                "--dlq-topic",
                NAME + "-dlq",
                "--group-id",
                NAME,
                "--checkpoint-dir",
                dir.resolve("checkpoints").toUri().toString(),
                "--park-destination",
                park,
                "--parallelism",
                "2",
                "--set",
                "execution.checkpointing.interval=1 s");
    }

    /**
     * Every customer's records of one phase, interleaved; with {@code pauseMillis}, spread out so
     * that records are still arriving when the TaskManager dies. Batches close at 1,000 records
     * (the smallest a config allows) or after 30 s: phases a + c make whole batches mid-run, and
     * the rest waits for the interval.
     */
    private void produce(
            String servers, String topic, String phase, int perCustomer, long pauseMillis) {
        try (KafkaProducer<byte[], byte[]> producer = TenantFixture.producer(servers)) {
            for (int n = 0; n < perCustomer; n++) {
                for (int c = 1; c <= TenantFixture.CUSTOMERS; c++) {
                    String customer = TenantFixture.customer(c);
                    String id = phase + n;
                    producer.send(
                            new ProducerRecord<>(
                                    topic, null, TenantFixture.value(customer, id, n)));
                    synchronized (produced) {
                        produced.computeIfAbsent(customer, k -> new HashSet<>())
                                .add(customer + ":" + id);
                    }
                }
                if (pauseMillis > 0 && n % 10 == 9) {
                    producer.flush();
                    sleep(pauseMillis);
                }
            }
            producer.flush();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int expectedTotal() {
        int total = 0;
        synchronized (produced) {
            for (Map.Entry<Long, String> job : TenantFixture.jobs().entrySet()) {
                total += produced.get(job.getValue()).size();
            }
        }
        return total;
    }

    private static Map<Long, List<String>> deliveredIds(List<DeliveredObject> objects)
            throws Exception {
        Map<Long, List<String>> ids = new HashMap<>();
        for (DeliveredObject o : objects) {
            ids.computeIfAbsent(o.jobId(), k -> new ArrayList<>())
                    .addAll(DeliveredRecords.ids(o, null));
        }
        return ids;
    }

    private void assertExactlyOnce(List<DeliveredObject> objects) throws Exception {
        Map<Long, String> jobs = TenantFixture.jobs();
        for (DeliveredObject o : objects) {
            assertThat(jobs)
                    .as("object %s belongs to a configured job", o.key())
                    .containsKey(o.jobId());
            String customer = jobs.get(o.jobId());
            assertThat(o.key()).startsWith(customer + "/job-" + o.jobId() + "/");
            DeliveredRecords.ids(o, customer); // every line is this customer's
        }
        Map<Long, List<String>> ids = deliveredIds(objects);
        for (Map.Entry<Long, String> job : jobs.entrySet()) {
            List<String> got = ids.getOrDefault(job.getKey(), List.of());
            assertThat(got).as("job %d: each record once", job.getKey()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(got))
                    .as("job %d: every record", job.getKey())
                    .isEqualTo(produced.get(job.getValue()));
        }
    }

    private static PrometheusScrape scrape(int port) throws Exception {
        PrometheusScrape[] scrape = new PrometheusScrape[1];
        FlinkRest.await(
                "Sluice's metrics on port " + port,
                Duration.ofSeconds(30),
                () -> {
                    scrape[0] = PrometheusScrape.fetch(port);
                    return scrape[0].text().contains("_sluice_");
                });
        return scrape[0];
    }
}
