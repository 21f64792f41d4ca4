package dev.sluice.jobs;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.UserCodeClassLoader;

import java.util.Map;
import java.util.function.Function;

/** Hands out counters by the {@code reason} group they are registered under. */
record ReasonCountersContext(Function<String, Counter> counters)
        implements DeserializationSchema.InitializationContext {

    /** A context whose counters add what they count to {@code counts}, by reason. */
    static ReasonCountersContext into(Map<String, Long> counts) {
        return new ReasonCountersContext(
                reason ->
                        new SimpleCounter() {
                            @Override
                            public void inc() {
                                super.inc();
                                counts.merge(reason, 1L, Long::sum);
                            }
                        });
    }

    @Override
    public MetricGroup getMetricGroup() {
        return new UnregisteredMetricsGroup() {
            @Override
            public MetricGroup addGroup(String key, String value) {
                return "reason".equals(key) ? reasonGroup(value) : this;
            }

            @Override
            public MetricGroup addGroup(String name) {
                return this;
            }
        };
    }

    private MetricGroup reasonGroup(String reason) {
        return new UnregisteredMetricsGroup() {
            @Override
            public Counter counter(String name) {
                return counters.apply(reason);
            }
        };
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        throw new UnsupportedOperationException();
    }
}
