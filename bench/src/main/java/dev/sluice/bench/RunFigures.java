package dev.sluice.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of one contender.
 *
 * @param seconds wall time from first record to last object committed (the limit: the loop)
 * @param recordsPerSecond input records over {@code seconds}
 * @param cpuSeconds CPU time of the whole process meanwhile
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
                usage.peakHeapBytes(),
                usage.peakHeapAfterGcBytes(),
                objects,
                bytes,
                usage.cpuSecondsByPart());
    }
}
