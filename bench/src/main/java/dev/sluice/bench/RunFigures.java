package dev.sluice.bench;

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
 */
public record RunFigures(
        double seconds,
        double recordsPerSecond,
        double cpuSeconds,
        long peakHeapBytes,
        long peakHeapAfterGcBytes,
        long objects,
        long outputBytes) {

    static RunFigures of(
            long records, double seconds, ResourceMeter.Usage usage, long objects, long bytes) {
        return new RunFigures(
                seconds,
                records / seconds,
                usage.cpuSeconds(),
                usage.peakHeapBytes(),
                usage.peakHeapAfterGcBytes(),
                objects,
                bytes);
    }
}
