package dev.sluice.tests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Scrapes a Prometheus endpoint on 127.0.0.1 twice a second in the background, as Prometheus would,
 * and keeps the last scrape that held Sluice's metrics: a job's metrics are gone once it ends, so
 * they have to be read while it runs.
 */
final class MetricsScraper implements AutoCloseable {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI endpoint;
    private final Thread thread;
    private volatile String last;
    private volatile boolean running = true;

    MetricsScraper(int port) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/metrics");
        this.thread = new Thread(this::scrape, "metrics-scraper");
        thread.setDaemon(true);
        thread.start();
    }

    private void scrape() {
        while (running) {
            try {
                String body =
                        http.send(
                                        HttpRequest.newBuilder(endpoint)
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                if (body.contains("_sluice_recordsRouted")
                        && sum(body, "flink_taskmanager_job_task_operator_sluice_recordsRouted")
                                > 0) {
                    last = body;
                }
            } catch (IOException e) {
                // Not up yet, or gone: the next round tries again.
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The last scrape with routed records in it; null if there was none. */
    String lastWithSluiceMetrics() {
        return last;
    }

    /** The sum of a metric's samples over all its label sets. */
    static double sum(String scrape, String metric) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
