package dev.sluice.metrics;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TopJobsMetricsTest {

    /** A metric group that remembers its gauges by their path of group names and values. */
    private static final class Recording extends UnregisteredMetricsGroup {
        private final Map<String, Metric> metrics;
        private final String path;

        Recording(Map<String, Metric> metrics, String path) {
            this.metrics = metrics;
            this.path = path;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new Recording(metrics, path + name + ".");
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new Recording(metrics, path + key + "=" + value + ".");
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(path + name, gauge);
            return gauge;
        }
    }

    private static long value(Map<String, Metric> metrics, String name) {
        return (Long) ((Gauge<?>) metrics.get(name)).getValue();
    }

    @Test
    void givesTheBusiestJobsASlotAndSumsTheRest() {
        Map<String, Metric> metrics = new HashMap<>();
        AtomicLong clock = new AtomicLong();
        TopJobsMetrics top =
                new TopJobsMetrics(
                        new Recording(metrics, ""),
                        2,
                        1_000,
                        clock::get,
                        "recordsIn",
                        "recordsBatched",
                        "batches");
        for (long job = 1; job <= 5; job++) {
            for (int i = 0; i < job * 10; i++) {
                top.add(job, 0, 1);
            }
        }
        top.add(5, 1, 50);
        top.add(5, 2, 1);

        assertThat(metrics).hasSize(2 * 4 + 4);
        assertThat(value(metrics, "jobs.rank=1.jobId")).isEqualTo(5);
        assertThat(value(metrics, "jobs.rank=1.recordsIn")).isEqualTo(50);
        assertThat(value(metrics, "jobs.rank=1.recordsBatched")).isEqualTo(50);
        assertThat(value(metrics, "jobs.rank=2.jobId")).isEqualTo(4);
        assertThat(value(metrics, "jobs.rank=other.jobs")).isEqualTo(3);
        assertThat(value(metrics, "jobs.rank=other.recordsIn")).isEqualTo(10 + 20 + 30);

        for (int i = 0; i < 100; i++) {
            top.add(1, 0, 1);
        }
        assertThat(value(metrics, "jobs.rank=1.jobId")).as("ranks hold until refresh").isEqualTo(5);
        clock.set(1_000);
        assertThat(value(metrics, "jobs.rank=1.jobId")).isEqualTo(1);
        assertThat(value(metrics, "jobs.rank=1.recordsIn")).isEqualTo(110);
    }
}
