package dev.sluice.tests;

import dev.sluice.local.FreePort;
import dev.sluice.local.LocalRun;
import dev.sluice.local.LocalSettings;
import dev.sluice.local.LocalSummary;
import dev.sluice.local.PrometheusScrape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/sluice local} end to end: generator, Kafka, job, S3 server, drain, summary. */
class LocalRunITCase {

    private static final int CUSTOMERS = 10;

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
                        prefix + "objectsCommitted");
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

    @Test
    void aShortLocalRunDeliversEveryRoutedRecordAndWritesABalancedSummary() throws Exception {
        int metricsPort = FreePort.pick();
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
                        summaryFile,
                        0,
                        0,
                        0,
                        Path.of("../flink-conf/local"),
                        Map.of(
                                "execution.checkpointing.interval",
                                "2 s",
                                "metrics.reporter.prom.port",
                                Integer.toString(metricsPort)));

        LocalSummary summary;
        try (MetricsScraper metrics = new MetricsScraper(metricsPort)) {
            summary = new LocalRun(settings, new PrintStream(console, true)).run();
            assertSluiceMetricsWereExported(metrics.lastWithSluiceMetrics());
        }

        assertThat(summary.jobs()).hasSize(8);
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
                assertThat(linesOf(file))
                        .allSatisfy(
                                line ->
                                        assertThat(line)
                                                .contains(job.customerId() + ".example.com"));
            }
        }
        JsonNode written = new ObjectMapper().readTree(Files.readString(summaryFile));
        assertThat(written.get("jobs")).hasSize(8);
        assertThat(written.get("bucketDir").asText()).isEqualTo(summary.bucketDir());
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("Kafka bootstrap", "S3 endpoint", "produced");
    }

    private static java.util.List<String> linesOf(Path gzipFile) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new FileInputStream(gzipFile.toFile()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
