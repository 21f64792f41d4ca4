package dev.sluice.metrics;

import org.apache.flink.api.common.accumulators.Accumulator;

import java.util.HashMap;
import java.util.Map;

/**
 * An accumulator of counts per key (job id, customer id). It feeds the local run's progress lines
 * and summary; operational monitoring uses the Flink metrics, whose cardinality is bounded.
 */
public final class CountsByKey implements Accumulator<String, HashMap<String, Long>> {

    private static final long serialVersionUID = 1L;

    private HashMap<String, Long> counts = new HashMap<>();

    @Override
    public void add(String key) {
        counts.merge(key, 1L, Long::sum);
    }

    /** Adds {@code n} to a key's count. */
    public void add(String key, long n) {
        counts.merge(key, n, Long::sum);
    }

    @Override
    public HashMap<String, Long> getLocalValue() {
        return counts;
    }

    @Override
    public void resetLocal() {
        counts = new HashMap<>();
    }

    @Override
    public void merge(Accumulator<String, HashMap<String, Long>> other) {
        for (Map.Entry<String, Long> e : other.getLocalValue().entrySet()) {
            counts.merge(e.getKey(), e.getValue(), Long::sum);
        }
    }

    @Override
    public CountsByKey clone() {
        CountsByKey copy = new CountsByKey();
        copy.counts = new HashMap<>(counts);
        return copy;
    }
}
