package dev.sluice.tests;

import dev.sluice.local.FreePort;
import dev.sluice.local.LocalRun;
import dev.sluice.local.LocalSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard ({@code deploy/grafana/sluice.json}) and the alert rules ({@code
 * deploy/prometheus/sluice-alerts.yml}) against what a running job really exports: a real
 * Prometheus server scrapes a local run ({@code bin/sluice local}'s pieces) every second, with the
 * rules loaded, and every panel query and every rule expression is evaluated through its HTTP API.
 * A query Prometheus refuses, or a metric renamed in the code or by a Flink upgrade, fails here
 * instead of leaving a panel empty or an alert silent.
 */
class DashboardQueriesITCase {

    private static final String ROUTED = "flink_taskmanager_job_task_operator_sluice_recordsRouted";

    /** Scrapes (one a second) to have before evaluating: enough for every rate. */
    private static final int SCRAPES = 8;

    @TempDir Path dir;

    @Test
    void everyPanelQueryAndEveryRuleSelectsSeriesOfARunningJob() throws Exception {
        int metricsPort = FreePort.pick();
        LocalSettings settings =
                new LocalSettings(
                        Duration.ZERO,
                        4,
                        500,
                        true,
                        1_000,
                        dir.resolve("data"),
                        null,
                        dir.resolve("summary.json"),
                        FreePort.pick(),
                        0,
                        0,
                        Path.of("../flink-conf/local"),
                        Map.of(
                                "execution.checkpointing.interval",
                                "1 s",
                                "metrics.reporter.prom.port",
                                Integer.toString(metricsPort)));
        LocalRun run = new LocalRun(settings, new PrintStream(new ByteArrayOutputStream(), true));
        ExecutorService running = Executors.newSingleThreadExecutor();
        Path promDir = Files.createDirectories(dir.resolve("prometheus"));
        try (PrometheusServer prometheus =
                PrometheusServer.start(
                        promDir, metricsPort, List.of(Repo.path(AlertRulesTest.RULES)))) {
            Future<?> done = running.submit(run::run);
            Instant at = awaitScrapes(prometheus, done);
            dumpMetricNames(prometheus, at);
            List<String> failures = new ArrayList<>();
            new QueryCheck(prometheus, at, failures)
                    .dashboard(Repo.json(DashboardTest.DASHBOARD))
                    .rules(Repo.yaml(AlertRulesTest.RULES));
            assertThat(failures).as("queries that failed against the running job").isEmpty();
            run.requestStop();
            done.get(3, TimeUnit.MINUTES);
        } finally {
            run.requestStop();
            running.shutdownNow();
        }
    }

    /**
     * Waits until Prometheus holds {@value #SCRAPES} scrapes with routed records and a committed
     * object, and returns that moment: queries are evaluated at it.
     */
    private static Instant awaitScrapes(PrometheusServer prometheus, Future<?> run)
            throws Exception {
        String ready =
                "count_over_time("
                        + ROUTED
                        + "[1m]) >= "
                        + SCRAPES
                        + " and on()"
                        + " sum(flink_taskmanager_job_task_operator_sluice_objectsCommitted) > 0";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (run.isDone()) {
                run.get(); // rethrows why the run ended
                throw new AssertionError("the local run ended before Prometheus had its metrics");
            }
            Instant now = Instant.now();
            if (prometheus.query(ready, now).path("data").path("result").size() > 0) {
                return now;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("Prometheus had no " + SCRAPES + " scrapes with routed records");
    }

    /**
     * Keeps the names the job exported as a build artifact: whoever fixes a query after a rename
     * finds the new name there.
     */
    private static void dumpMetricNames(PrometheusServer prometheus, Instant at) throws Exception {
        JsonNode names = prometheus.query("count by (__name__) ({__name__=~\".+\"})", at);
        StringBuilder out = new StringBuilder();
        for (JsonNode r : names.path("data").path("result")) {
            out.append(r.path("metric").path("__name__").asText()).append('\n');
        }
        Files.writeString(Path.of("target/prometheus-metric-names.txt"), out);
    }

    /** The repository files under test. */
    private static final class Repo {
        static Path path(String relative) {
            return RepositoryPaths.root().resolve(relative);
        }

        static JsonNode json(String relative) throws Exception {
            return new ObjectMapper().readTree(path(relative).toFile());
        }

        static JsonNode yaml(String relative) throws Exception {
            return new ObjectMapper(new YAMLFactory()).readTree(path(relative).toFile());
        }
    }
}
