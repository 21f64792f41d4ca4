package dev.sluice.tests;

import dev.sluice.local.FreePort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) on 127.0.0.1: scrapes one target
 * every second, evaluates the given rule files every second, keeps its data in a temporary
 * directory, and answers instant queries through its HTTP API. Closing it stops the process it
 * started, and only that one.
 */
final class PrometheusServer implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Prometheus scraping {@code 127.0.0.1:targetPort/metrics}, and waits until ready. */
    static PrometheusServer start(Path dir, int targetPort, List<Path> ruleFiles)
            throws IOException, InterruptedException {
        Path binary = RequiredTool.onPath("prometheus", "prometheus");
        int port = FreePort.pick();
        Path config = dir.resolve("prometheus.yml");
        StringBuilder yml =
                new StringBuilder()
                        .append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
                        .append("rule_files:\n");
        for (Path rules : ruleFiles) {
            yml.append("  - '").append(rules.toAbsolutePath()).append("'\n");
        }
        yml.append("scrape_configs:\n  - job_name: sluice\n    static_configs:\n")
                .append("      - targets: ['127.0.0.1:")
                .append(targetPort)
                .append("']\n");
        Files.writeString(config, yml);
        Path log = dir.resolve("prometheus.log");
        Process process =
                new ProcessBuilder(
                                binary.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path="
                                        + Files.createDirectories(dir.resolve("data")),
                                "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        PrometheusServer server = new PrometheusServer(process, port, log);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + Files.readString(log));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready in 30 s: " + Files.readString(log));
    }

    /**
     * The answer of {@code /api/v1/query} for {@code expr} at {@code time}: its {@code status}
     * ({@code success}, or {@code error} with {@code error}) and {@code data.result}.
     */
    JsonNode query(String expr, Instant time) throws IOException, InterruptedException {
        String path =
                "/api/v1/query?query="
                        + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                        + "&time="
                        + time.toEpochMilli() / 1000.0;
        return JSON.readTree(get(path).body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
