package dev.sluice.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One scrape of Flink's Prometheus reporter: the samples of a metric over its label sets. Sluice's
 * metrics are {@code flink_taskmanager_job_task_operator_sluice_<name>}, one series per subtask.
 */
public final class PrometheusScrape {

    /** Prefix of Sluice's operator metrics. */
    public static final String SLUICE = "flink_taskmanager_job_task_operator_sluice_";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String text;

    private PrometheusScrape(String text) {
        this.text = text;
    }

    /** Scrapes {@code http://127.0.0.1:<port>/metrics}. */
    public static PrometheusScrape fetch(int port) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new PrometheusScrape(response.body());
    }

    /** A scrape's text as the reporter wrote it. */
    public String text() {
        return text;
    }

    /** Whether the scrape holds Sluice's operator metrics and they saw records routed. */
    public boolean hasRoutedRecords() {
        return sluice("recordsRouted") > 0;
    }

    /** How many of Sluice's operator series the scrape holds. */
    public int sluiceSeries() {
        int series = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(SLUICE)) {
                series++;
            }
        }
        return series;
    }

    /** A sample: its label text ({@code {a="b",…}}) and value. */
    public record Sample(String labels, double value) {}

    /** The samples of {@code metric} whose labels contain every fragment of {@code labels}. */
    public List<Sample> samples(String metric, String... labels) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String labelText = line.substring(metric.length(), space);
            boolean matches = true;
            for (String l : labels) {
                matches &= labelText.contains(l);
            }
            if (matches) {
                samples.add(new Sample(labelText, Double.parseDouble(line.substring(space + 1))));
            }
        }
        return samples;
    }

    /** The sum of a metric over its matching series. */
    public double sum(String metric, String... labels) {
        return samples(metric, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The largest value of a metric over its matching series; NaN without any. */
    public double max(String metric, String... labels) {
        return samples(metric, labels).stream().mapToDouble(Sample::value).max().orElse(Double.NaN);
    }

    /** The smallest value of a metric over its matching series; NaN without any. */
    public double min(String metric, String... labels) {
        return samples(metric, labels).stream().mapToDouble(Sample::value).min().orElse(Double.NaN);
    }

    /** The sum of one of Sluice's metrics, e.g. {@code recordsRouted}. */
    public double sluice(String name, String... labels) {
        return sum(SLUICE + name, labels);
    }
}
