package dev.sluice.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of one contender.
 *
 * @param seconds wall time from first record to last object committed (the limit: the loop)
 * @param recordsPerSecond input records over {@code seconds}
 * @param cpuSeconds CPU time of the whole process while the run was metered
 * @param meteredSeconds wall time {@code cpuSeconds} was taken over: for a Flink contender from its
 *     job seen running to its result in, which is not {@code seconds} (it includes the job's
 *     tear-down); for the limit, its loop; 0 in reports written before it was kept
 * @param peakHeapBytes the heap pools' peaks summed (an upper bound of the heap in use)
 * @param peakHeapAfterGcBytes the largest heap in use right after a collection (what was alive)
 * @param objects objects (files) written
 * @param outputBytes their bytes, as stored
 * @param cpuSecondsByPart {@code cpuSeconds} by part of the setup, most first ({@link ThreadCpu});
 *     empty in reports written before it was measured
 */
public record RunFigures(
        double seconds,
        double recordsPerSecond,
        double cpuSeconds,
        double meteredSeconds,
        long peakHeapBytes,
        long peakHeapAfterGcBytes,
        long objects,
        long outputBytes,
        Map<String, Double> cpuSecondsByPart) {

    public RunFigures {
        cpuSecondsByPart =
                cpuSecondsByPart == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(cpuSecondsByPart));
    }

    static RunFigures of(
            long records, double seconds, ResourceMeter.Usage usage, long objects, long bytes) {
        return new RunFigures(
                seconds,
                records / seconds,
                usage.cpuSeconds(),
                usage.wallSeconds(),
                usage.peakHeapBytes(),
                usage.peakHeapAfterGcBytes(),
                objects,
                bytes,
                usage.cpuSecondsByPart());
    }

    /**
     * CPU seconds per wall second of the metered time. Over {@code seconds} instead, the CPU of a
     * job's tear-down, which falls outside the run, counted as the run's.
     */
    double cpuCores() {
        return cpuSeconds / (meteredSeconds > 0 ? meteredSeconds : seconds);
    }
}
