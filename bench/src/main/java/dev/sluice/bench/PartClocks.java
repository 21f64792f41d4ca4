package dev.sluice.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Threads' CPU clocks between a start and the latest read, summed by the part of the setup each
 * thread works for: what {@link ThreadCpu} keeps for Java's threads and {@link NativeThreads} for
 * the JVM's own. A thread first read after the start counts from zero.
 *
 * @param <K> how a thread is known (a Java thread id, a Linux task id)
 */
final class PartClocks<K> {

    private final double unitsPerSecond;
    private final Map<K, Long> atStart = new HashMap<>();
    private final Map<K, Long> latest = new HashMap<>();
    private final Map<K, String> parts = new HashMap<>();

    /**
     * @param unitsPerSecond what a clock counts in: 1e9 for nanoseconds, 100 for Linux's ticks
     */
    PartClocks(double unitsPerSecond) {
        this.unitsPerSecond = unitsPerSecond;
    }

    /** The thread's clock when the measurement starts. */
    void start(K thread, long clock) {
        atStart.put(thread, clock);
    }

    /** The thread's clock now; its part is asked for at its first read only. */
    void read(K thread, Supplier<String> part, long clock) {
        parts.computeIfAbsent(thread, t -> part.get());
        latest.put(thread, clock);
    }

    /** Seconds each part's threads used since the start. */
    Map<String, Double> secondsByPart() {
        Map<String, Double> byPart = new HashMap<>();
        latest.forEach(
                (thread, clock) ->
                        byPart.merge(
                                parts.get(thread),
                                (clock - atStart.getOrDefault(thread, 0L)) / unitsPerSecond,
                                Double::sum));
        return byPart;
    }
}
