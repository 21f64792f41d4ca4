package dev.sluice.tests;

import dev.sluice.local.PrometheusScrape;

import java.io.IOException;

/**
 * Scrapes a Prometheus endpoint on 127.0.0.1 twice a second in the background, as Prometheus would,
 * and keeps the last scrape that held Sluice's metrics: a job's metrics are gone once it ends, so
 * they have to be read while it runs.
 */
final class MetricsScraper implements AutoCloseable {

    private final int port;
    private final Thread thread;
    private volatile PrometheusScrape last;
    private volatile boolean running = true;

    MetricsScraper(int port) {
        this.port = port;
        this.thread = new Thread(this::scrape, "metrics-scraper");
        thread.setDaemon(true);
        thread.start();
    }

    private void scrape() {
        while (running) {
            try {
                PrometheusScrape scrape = PrometheusScrape.fetch(port);
                if (scrape.hasRoutedRecords()) {
                    last = scrape;
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
    PrometheusScrape lastWithSluiceMetrics() {
        return last;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
