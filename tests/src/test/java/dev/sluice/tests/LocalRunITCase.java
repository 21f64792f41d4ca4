package dev.sluice.tests;

import dev.sluice.local.FreePort;
import dev.sluice.local.HttpLogGenerator;
import dev.sluice.local.LocalRun;
import dev.sluice.local.LocalSettings;
import dev.sluice.local.LocalSummary;
import dev.sluice.local.PrometheusScrape;
import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;
import dev.sluice.tools.ConfigCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/sluice local} end to end: generator, Kafka, job, S3 server, drain, summary. */
class LocalRunITCase {

    private static final int CUSTOMERS = 10;

    /** The sample config's job of customer c0003, which writes CSV. */
    private static final long CSV_JOB = 3;

    /** A job added through the config topic while the run runs. */
    private static final long ADDED_JOB = 100;

    @TempDir Path dir;

    /**
     * What a Prometheus scrape of the running job showed: Sluice's metrics by name, with labels,
     * and values that say the job was working.
     */
    private static void assertSluiceMetricsWereExported(PrometheusScrape metrics) {
        assertThat(metrics).as("a scrape with Sluice's metrics").isNotNull();
        String scrape = metrics.text();
        String prefix = PrometheusScrape.SLUICE;
        assertThat(scrape)
                .contains(
                        prefix + "recordsRouted",
                        prefix + "configVersion",
                        prefix + "configUpdatesRejected",
                        prefix + "configUpdatesStale",
                        prefix + "activeJobs",
                        prefix + "bufferedBytes",
                        prefix + "maxActiveJobs",
                        prefix + "maxBufferedBytes",
                        prefix + "unhealthyDestinations",
                        prefix + "parkedBatches",
                        prefix + "objectsCommitted",
                        prefix + "status_jobs");
        // Flink's key-value groups become labels: flush="…", dropped="…", rank="…".
        assertThat(scrape)
                .containsPattern(prefix + "flush_batches\\{[^}]*flush=\"interval\"")
                .containsPattern(prefix + "flush_batches\\{[^}]*flush=\"bytes_cap\"")
                .containsPattern(prefix + "dropped_records\\{[^}]*dropped=\"unconfigured\"")
                .containsPattern(prefix + "jobs_rank_recordsIn\\{[^}]*rank=\"other\"");
        assertThat(metrics.sluice("recordsRouted")).as("records routed while scraped").isPositive();
        assertThat(metrics.sluice("configVersion")).isPositive();
        // Caps per buffer subtask, as configured (defaults), so alerts can divide by them.
        assertThat(scrape)
                .containsPattern(prefix + "maxActiveJobs\\{[^}]*\\} 10000(\\.0)?\\n")
                .containsPattern(prefix + "maxBufferedBytes\\{[^}]*\\} 2\\.68435456E8\\n");
        assertThat(scrape).containsPattern(prefix + "jobs_rank_recordsIn\\{[^}]*rank=\"1\"");
    }

    /**
     * A short run: every routed record delivered, and the summary balances. A job added through the
     * config topic mid-run ({@code config publish}), bound for a bucket that does not exist, is in
     * the summary too, its records counted as parked.
     */
    @Test
    void aShortLocalRunDeliversEveryRoutedRecordAndWritesABalancedSummary() throws Exception {
        int metricsPort = FreePort.pick();
        int kafkaPort = FreePort.pick();
        Path data = dir.resolve("data");
        Path summaryFile = dir.resolve("summary.json");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LocalSettings settings =
                new LocalSettings(
                        Duration.ofSeconds(12),
                        CUSTOMERS,
                        1_000,
                        true,
                        1_000,
                        data,
                        null,
                        summaryFile,
                        kafkaPort,
                        0,
                        0,
                        Path.of("../flink-conf/local"),
                        Map.of(
                                "execution.checkpointing.interval",
                                "2 s",
                                "metrics.reporter.prom.port",
                                Integer.toString(metricsPort)));

        LocalSummary summary;
        ExecutorService running = Executors.newSingleThreadExecutor();
        try (MetricsScraper metrics = new MetricsScraper(metricsPort)) {
            Future<LocalSummary> run =
                    running.submit(
                            () -> new LocalRun(settings, new PrintStream(console, true)).run());
            publishBrokenJobOnceRunning(console, data, kafkaPort);
            produceACsvRecordWithANewline(kafkaPort);
            SecretScan.awaitCheckpoint(data.resolve("checkpoints"));
            assertThat(
                            SecretScan.filesHolding(
                                    data,
                                    data.resolve("s3"),
                                    LocalRun.SECRET_KEY,
                                    LocalRun.ACCESS_KEY))
                    .as("the data directory while running: Kafka logs, checkpoints, config")
                    .isEmpty();
            summary = run.get(3, TimeUnit.MINUTES);
            assertSluiceMetricsWereExported(metrics.lastWithSluiceMetrics());
        } finally {
            running.shutdownNow();
        }

        assertThat(summary.jobs()).hasSize(9);
        assertThat(summary.jobs())
                .filteredOn(job -> job.jobId() == ADDED_JOB)
                .singleElement()
                .satisfies(
                        added -> {
                            assertThat(added.customerId()).isEqualTo("c0001");
                            assertThat(added.parked()).isPositive();
                            assertThat(added.delivered()).isZero();
                        });
        assertThat(summary.jobs()).allSatisfy(job -> assertThat(job.balances()).isTrue());
        assertThat(summary.jobs())
                .filteredOn(job -> job.jobId() == 4)
                .singleElement()
                .satisfies(sampled -> assertThat(sampled.sampledOut()).isPositive());
        assertThat(summary.jobs())
                .filteredOn(job -> job.jobId() == 6)
                .singleElement()
                .satisfies(errorsOnly -> assertThat(errorsOnly.filtered()).isPositive());
        assertThat(summary.jobs().stream().mapToLong(LocalSummary.Job::delivered).sum())
                .isPositive();
        assertThat(summary.unconfigured().customers()).isEqualTo(2);
        assertThat(summary.unconfigured().records()).isPositive();
        for (LocalSummary.Job job : summary.jobs()) {
            for (LocalSummary.ObjectEntry object : job.objects()) {
                Path file = Path.of(summary.bucketDir(), "sluice-logs", object.key());
                assertThat(file).as("object readable as a file").exists();
                assertThat(
                                String.join("\n", linesOf(file))
                                        .split(job.customerId() + ".example.com", -1))
                        .as("each record of %s once, with its customer's host", object.key())
                        .hasSize((int) object.records() + 1);
            }
        }
        assertThat(summary.jobs())
                .filteredOn(job -> job.jobId() == CSV_JOB)
                .singleElement()
                .satisfies(
                        csv -> {
                            long lines = 0;
                            for (LocalSummary.ObjectEntry o : csv.objects()) {
                                lines +=
                                        linesOf(
                                                        Path.of(
                                                                summary.bucketDir(),
                                                                "sluice-logs",
                                                                o.key()))
                                                .size();
                            }
                            assertThat(lines)
                                    .as("the record with a newline is on two lines")
                                    .isEqualTo(csv.delivered() + 1);
                            assertThat(csv.balances()).as("delivered counts it once").isTrue();
                        });
        JsonNode written = new ObjectMapper().readTree(Files.readString(summaryFile));
        assertThat(written.get("jobs")).hasSize(9);
        assertThat(written.get("bucketDir").asText()).isEqualTo(summary.bucketDir());
        assertThat(
                        SecretScan.filesHolding(
                                data, data.resolve("s3"), LocalRun.SECRET_KEY, LocalRun.ACCESS_KEY))
                .as("the data directory after the run: config, Kafka logs, savepoint, summary")
                .isEmpty();
        assertThat(Files.readString(data.resolve("config.json"))).contains("credentials=local");
        assertThat(Files.list(data.resolve("savepoints")))
                .as("a savepoint was scanned")
                .isNotEmpty();
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("Credentials", "credentials=local")
                .contains("Kafka bootstrap", "S3 endpoint", "produced")
                .contains("bin/sluice jobs status --bootstrap-servers 127.0.0.1:" + kafkaPort)
                .contains("bin/sluice config publish --bootstrap-servers 127.0.0.1:" + kafkaPort);
    }

    /**
     * A record of customer c0003, whose job {@value #CSV_JOB} writes CSV, with a newline in its
     * URI: a quoted CSV field over two lines, one record.
     */
    private static void produceACsvRecordWithANewline(int kafkaPort) throws Exception {
        LogEvent generated =
                new HttpLogGenerator(List.of("c0003"), 1)
                        .next("c0003", TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
        Map<String, Object> fields = new HashMap<>(generated.getFields());
        fields.put("ClientRequestURI", "/search?q=two\nlines");
        LogEvent event = LogEvent.newBuilder(generated).setFields(fields).build();
        try (KafkaProducer<byte[], byte[]> producer =
                TenantFixture.producer("127.0.0.1:" + kafkaPort)) {
            producer.send(
                            new ProducerRecord<>(
                                    "sluice-logs", null, SingleObjectEncoding.toBytes(event)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Once the run prints its addresses, publishes job {@value #ADDED_JOB} of customer c0001 as the
     * local run prints it: job 1 again, bound for a bucket that does not exist.
     */
    private static void publishBrokenJobOnceRunning(
            ByteArrayOutputStream console, Path data, int kafkaPort) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!console.toString(StandardCharsets.UTF_8).contains("Job status")) {
            assertThat(System.nanoTime()).as("the run printed its addresses").isLessThan(deadline);
            Thread.sleep(100);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode job =
                (ObjectNode) json.readTree(data.resolve("config.json").toFile()).get("jobs").get(0);
        job.put("id", ADDED_JOB);
        job.put(
                "destination_conf",
                job.get("destination_conf").asText().replace("s3://sluice-logs/", "s3://missing/"));
        ObjectNode upsert = json.createObjectNode();
        upsert.put("version", 2);
        upsert.set("upsert", job);
        Path file = data.resolveSibling("added-job.json");
        json.writeValue(file.toFile(), upsert);
        int status =
                new CommandLine(new ConfigCommand())
                        .execute(
                                "publish",
                                "--bootstrap-servers=127.0.0.1:" + kafkaPort,
                                "--start-config=" + data.resolve("config.json"),
                                file.toString());
        assertThat(status).as("published").isZero();
    }

    private static java.util.List<String> linesOf(Path gzipFile) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new FileInputStream(gzipFile.toFile()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
