package dev.sluice.tests;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * A MiniCluster whose metrics a test can read after its job ended: register {@link #cluster} in the
 * test class (after the base class's, so jobs go to it), then ask for restarts and counters.
 */
final class JobMetrics {

    private final InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();

    /** The cluster, with {@code settings} added to its configuration. */
    MiniClusterExtension cluster(Configuration settings) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(ServersTestBase.PARALLELISM)
                        .setConfiguration(reporter.addToConfiguration(settings))
                        .build());
    }

    /** How often the job restarted; -1 if it never reported. */
    long restarts(JobID job) {
        long restarts = -1;
        for (Tuple3<MetricGroup, String, Metric> m :
                reporter.findJobMetricGroups(job, "^numRestarts$")) {
            restarts = ((Number) ((Gauge<?>) m.f2).getValue()).longValue();
        }
        return restarts;
    }

    /**
     * The sum of the counters named {@code name} over the job's subtasks; per-job gauges of the
     * same name (the top-jobs slots) are not counters and are left out.
     */
    long counter(JobID job, String name) {
        long sum = 0;
        for (Tuple3<MetricGroup, String, Metric> m :
                reporter.findJobMetricGroups(job, "^" + name + "$")) {
            if (m.f2 instanceof Counter) {
                sum += ((Counter) m.f2).getCount();
            }
        }
        return sum;
    }

    /** The values of the gauges named {@code name}, one per subtask that registered one. */
    java.util.List<Long> gauges(JobID job, String name) {
        java.util.List<Long> values = new java.util.ArrayList<>();
        for (Tuple3<MetricGroup, String, Metric> m :
                reporter.findJobMetricGroups(job, "^" + name + "$")) {
            if (m.f2 instanceof Gauge) {
                values.add(((Number) ((Gauge<?>) m.f2).getValue()).longValue());
            }
        }
        return values;
    }
}
