package dev.sluice.metrics;

import org.apache.flink.api.common.accumulators.Accumulator;

import java.util.HashMap;
import java.util.Map;

/**
 * An accumulator of counts per key (job id, customer id). It feeds the local run's progress lines
 * and summary; operational monitoring uses the Flink metrics, whose cardinality is bounded.
 *
 * <p>The router adds to it once per record, so a count is a mutable cell: no boxed {@code Long} per
 * record (a profile of the benchmark put the boxing {@code merge} at 8% of the router's time). The
 * map of boxed counts Flink reports is built when asked for, with the task's heartbeat.
 */
public final class CountsByKey implements Accumulator<String, HashMap<String, Long>> {

    private static final long serialVersionUID = 1L;

    private HashMap<String, long[]> counts = new HashMap<>();

    @Override
    public void add(String key) {
        add(key, 1);
    }

    /** Adds {@code n} to a key's count. */
    public void add(String key, long n) {
        long[] count = counts.get(key);
        if (count == null) {
            counts.put(key, new long[] {n});
        } else {
            count[0] += n;
        }
    }

    @Override
    public HashMap<String, Long> getLocalValue() {
        HashMap<String, Long> value = new HashMap<>(counts.size() * 4 / 3 + 1);
        counts.forEach((key, count) -> value.put(key, count[0]));
        return value;
    }

    @Override
    public void resetLocal() {
        counts = new HashMap<>();
    }

    @Override
    public void merge(Accumulator<String, HashMap<String, Long>> other) {
        for (Map.Entry<String, Long> e : other.getLocalValue().entrySet()) {
            add(e.getKey(), e.getValue());
        }
    }

    @Override
    public CountsByKey clone() {
        CountsByKey copy = new CountsByKey();
        counts.forEach((key, count) -> copy.counts.put(key, new long[] {count[0]}));
        return copy;
    }
}
