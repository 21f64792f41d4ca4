package dev.sluice.metrics;

import org.apache.flink.api.common.accumulators.Accumulator;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An accumulator of counts per key (job id, customer id). It feeds the local run's progress lines
 * and summary; operational monitoring uses the Flink metrics, whose cardinality is bounded.
 *
 * <p>The router adds to it once per record, so a count is a mutable cell: no boxed {@code Long} per
 * record (a profile of the benchmark put the boxing {@code merge} at 8% of the router's time), and
 * a caller that counts the same key again and again keeps its {@link Count} instead of looking the
 * key up per record. The map of boxed counts Flink reports is built when asked for, with the task's
 * heartbeat.
 *
 * <p>Flink serializes a task's accumulators for each heartbeat on a thread of its own while the
 * task goes on counting, so the keys are in a {@link ConcurrentHashMap}: a {@code HashMap}
 * serialized while a new key grew it could write fewer entries than it said it held, and the
 * snapshot failed to read back: the job manager could not read that report.
 */
public final class CountsByKey implements Accumulator<String, HashMap<String, Long>> {

    private static final long serialVersionUID = 3L;

    /** One key's count, to add to without finding the key again. */
    public static final class Count implements Serializable {
        private static final long serialVersionUID = 1L;

        private long value;

        public void add(long n) {
            value += n;
        }

        public void increment() {
            value++;
        }
    }

    private final ConcurrentHashMap<String, Count> counts = new ConcurrentHashMap<>();

    @Override
    public void add(String key) {
        add(key, 1);
    }

    /** Adds {@code n} to a key's count. */
    public void add(String key, long n) {
        cell(key).add(n);
    }

    /** The key's count, to add to; it stays the key's after {@link #resetLocal}. */
    public Count cell(String key) {
        Count count = counts.get(key);
        return count != null ? count : counts.computeIfAbsent(key, k -> new Count());
    }

    @Override
    public HashMap<String, Long> getLocalValue() {
        HashMap<String, Long> value = new HashMap<>(counts.size() * 4 / 3 + 1);
        counts.forEach(
                (key, count) -> {
                    if (count.value != 0) {
                        value.put(key, count.value);
                    }
                });
        return value;
    }

    @Override
    public void resetLocal() {
        // In place: cells handed out by cell() go on counting for their keys.
        counts.values().forEach(count -> count.value = 0);
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
        counts.forEach((key, count) -> copy.cell(key).value = count.value);
        return copy;
    }
}
