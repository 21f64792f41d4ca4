package dev.sluice.tests;

import dev.sluice.local.PrometheusScrape;

import java.io.IOException;

/**
 * Scrapes a Prometheus endpoint on 127.0.0.1 twice a second in the background, as Prometheus would,
 * and keeps the latest of the scrapes that held the most of Sluice's series: a job's metrics are
 * gone once it ends, so they have to be read while it runs, and a scrape taken while it stops can
 * hold some operators' series and not others' (their tasks finished first).
 */
final class MetricsScraper implements AutoCloseable {

    private final int port;
    private final Thread thread;
    private volatile PrometheusScrape last;
    private int mostSeries;
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
                int series = scrape.sluiceSeries();
                if (scrape.hasRoutedRecords() && series >= mostSeries) {
                    mostSeries = series;
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

    /**
     * The latest scrape with routed records among those with the most Sluice series; null if there
     * was none.
     */
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
