package dev.sluice.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * CPU time and heap of this JVM over one run: the process CPU time from {@code
 * com.sun.management.OperatingSystemMXBean}, and the heap pools' peaks, reset at the start. The JVM
 * holds everything the contender uses (Kafka broker, S3 server, MiniCluster), so these are the
 * whole setup's figures.
 */
final class ResourceMeter {

    /** CPU seconds used and the heap's peak, in bytes. */
    record Usage(double cpuSeconds, long peakHeapBytes) {}

    private final long cpuAtStart;

    private ResourceMeter(long cpuAtStart) {
        this.cpuAtStart = cpuAtStart;
    }

    /** Resets the heap pools' peaks and notes the CPU time so far. */
    static ResourceMeter start() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        return new ResourceMeter(cpuNanos());
    }

    /**
     * CPU since {@link #start}, and the sum of the heap pools' peaks (each pool peaks at its own
     * moment, so the sum is an upper bound of the heap in use).
     */
    Usage stop() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return new Usage((cpuNanos() - cpuAtStart) / 1e9, peak);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
