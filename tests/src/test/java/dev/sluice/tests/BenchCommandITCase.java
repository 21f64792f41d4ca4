package dev.sluice.tests;

import dev.sluice.bench.BenchCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/sluice bench} on a tiny input, to keep the benchmark working: it completes and its
 * report is well formed. Nothing here looks at how fast anything was. The latency probe, which
 * cannot end before the jobs' 30 s batch interval, is left out here and tested on its own
 * (LatencyProbeTest in the local module).
 */
class BenchCommandITCase {

    @TempDir Path dir;

    @Test
    void aTinyBenchCompletesAndWritesAWellFormedReport() throws Exception {
        Path report = dir.resolve("bench.json");
        Path page = dir.resolve("bench.html");

        int exit =
                new CommandLine(new BenchCommand())
                        .execute(
                                "--records", "2000",
                                "--customers", "20",
                                "--repeats", "1",
                                "--warm-up-runs", "0",
                                "--checkpoint-interval", "1s",
                                "--latency-duration", "0",
                                "--scale", "100",
                                "--scale-records", "1000",
                                "--scale-warm-up-runs", "1",
                                "--data-dir", dir.resolve("data").toString(),
                                // On disk, so that the check below sees the server's folder.
                                "--s3-storage", "disk",
                                "--plugins-dir", RepositoryPaths.flinkPlugins().toString(),
                                "--report", report.toString(),
                                "--html", page.toString());

        assertThat(exit).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("input").path("records").asInt()).isEqualTo(2000);
        assertThat(json.path("contenders")).hasSize(4);
        assertThat(json.path("contenders").findValuesAsText("name"))
                .containsExactly("limit", "sluice", "naive", "naive-files");
        for (JsonNode contender : json.path("contenders")) {
            assertThat(contender.path("records_per_second").asDouble()).isPositive();
            assertThat(contender.path("megabytes_per_second").asDouble()).isPositive();
            assertThat(contender.path("runs")).hasSize(1);
            if (!contender.path("name").asText().equals("limit")) {
                // Each run read its objects (files) back and found every record in them.
                assertThat(contender.path("runs").get(0).path("objects").asLong())
                        .as(contender.path("name").asText())
                        .isPositive();
            }
        }
        // Where Sluice's run spent its CPU, from its threads' clocks: the router and buffer tasks
        // ran, and no part used more than the whole process.
        JsonNode sluiceRun = json.path("contenders").get(1).path("runs").get(0);
        JsonNode parts = sluiceRun.path("cpu_seconds_by_part");
        assertThat(parts.path("task: Decode and route (fail-closed)").asDouble()).isPositive();
        assertThat(parts.path("task: Per-job buffer").asDouble()).isPositive();
        double summed = 0;
        for (JsonNode seconds : parts) {
            summed += seconds.asDouble();
        }
        // Threads are read a moment after the process, and Linux counts the JVM's in 10 ms ticks.
        assertThat(summed).isLessThanOrEqualTo(sluiceRun.path("cpu_seconds").asDouble() + 0.25);
        for (String ratio :
                new String[] {
                    "sluice_over_limit", "sluice_over_naive", "sluice_over_naive_files"
                }) {
            assertThat(json.path("ratios").path(ratio).isNumber()).as(ratio).isTrue();
        }
        assertThat(json.path("input").path("warm_up_runs").asInt()).isZero();
        assertThat(json.path("input").path("scale_warm_up_runs").asInt()).isEqualTo(1);
        assertThat(json.path("latency").isNull()).as("the probe was skipped").isTrue();
        assertThat(json.path("scale")).hasSize(1);
        assertThat(json.path("scale").get(0).path("jobs").asInt()).isEqualTo(100);
        // The job heap's full collection is reported, and taken out of the run's seconds.
        assertThat(json.path("scale").get(0).path("heap_reading_pause_seconds").asDouble(-1))
                .isGreaterThanOrEqualTo(0);
        assertThat(json.path("scale").get(0).path("seconds").asDouble()).isPositive();
        // CPU is taken over the time it was metered, so no more than the machine has in it, give
        // or take the process clock's 10 ms ticks; over the run's own seconds a million-job scale
        // run read 4-6 cores on two.
        int processors = Runtime.getRuntime().availableProcessors();
        for (JsonNode contender : json.path("contenders")) {
            JsonNode run = contender.path("runs").get(0);
            assertThat(run.path("metered_seconds").asDouble())
                    .as(contender.path("name").asText())
                    .isPositive();
            assertThat(run.path("cpu_seconds").asDouble())
                    .as(contender.path("name").asText())
                    .isLessThanOrEqualTo(
                            processors * run.path("metered_seconds").asDouble() + 0.02);
        }
        assertThat(json.path("scale").get(0).path("cpu_cores").asDouble())
                .isBetween(0.0, processors * 1.1);
        assertThat(json.path("goals").isArray()).isTrue();
        assertThat(json.path("machine").path("initial_heap_mib").asLong()).isPositive();
        // The default: what a cluster runs.
        assertThat(json.path("machine").path("state_backend").asText()).isEqualTo("rocksdb");
        assertThat(json.path("machine").path("s3_storage").asText()).isEqualTo("disk");
        // ReportPagesITCase opens a page in a browser; here the real report's charts are drawn.
        assertThat(Files.readString(page))
                .contains(
                        "data-chart=\"throughput\"",
                        "data-chart=\"ratios\"",
                        "data-chart=\"scale-throughput\"")
                .doesNotContain("data-chart=\"latency\"");

        // Each run's output went once counted, so that no run writes beside an earlier one's.
        Path data = dir.resolve("data");
        assertThat(filesUnder(data.resolve("s3").resolve("bench-sluice-1"))).isEmpty();
        assertThat(filesUnder(data.resolve("s3").resolve("bench-naive").resolve("naive-1")))
                .isEmpty();
        assertThat(data.resolve("bench-naive-files-1")).doesNotExist();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
