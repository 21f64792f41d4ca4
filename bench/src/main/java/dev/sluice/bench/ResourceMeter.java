package dev.sluice.bench;

import dev.sluice.local.Sampler;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time and heap of this JVM over one run: the process CPU time from {@code
 * com.sun.management.OperatingSystemMXBean}; the heap pools' peaks, reset at the start; and the
 * largest heap left after a collection (what the run kept alive), sampled from the collectors' last
 * GC; and the CPU time by part of the setup ({@link ThreadCpu}). The JVM holds everything the
 * contender uses (Kafka broker, S3 server, MiniCluster, the input), so these are the whole setup's
 * figures.
 */
final class ResourceMeter {

    private static final long SAMPLE_MILLIS = 20;

    /**
     * Threads' clocks every fifth sample (100 ms): a read of 200 threads takes 0.7-1 ms of CPU,
     * about 1% of a core at this pace.
     */
    private static final int THREAD_CPU_EVERY = 5;

    /**
     * CPU seconds used; the heap pools' peaks summed (each pool peaks at its own moment, so the sum
     * is an upper bound and can exceed the heap's maximum); the largest heap in use right after a
     * collection; CPU seconds by part of the setup, most first.
     */
    record Usage(
            double cpuSeconds,
            long peakHeapBytes,
            long peakHeapAfterGcBytes,
            Map<String, Double> cpuSecondsByPart) {}

    private final long cpuAtStart;
    private final Set<String> heapPools = new HashSet<>();
    private final List<GarbageCollectorMXBean> collectors =
            ManagementFactory.getPlatformMXBeans(GarbageCollectorMXBean.class);

    /** The id of each collector's last collection seen. */
    private final long[] seen = new long[collectors.size()];

    private final ThreadCpu threadCpu = new ThreadCpu();
    private volatile long peakAfterGc;
    private int samples;
    private Sampler sampler;

    private ResourceMeter(long cpuAtStart) {
        this.cpuAtStart = cpuAtStart;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
    }

    /**
     * The heap in use after a full collection ({@code System.gc()}, a full collection under G1):
     * what is alive, without the garbage that young collections leave in the old generation.
     */
    static long liveHeapBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resets the heap pools' peaks, notes the CPU time so far and starts watching collections. */
    static ResourceMeter start() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        ResourceMeter meter = new ResourceMeter(cpuNanos());
        meter.sampler = Sampler.start("bench-heap-sampler", SAMPLE_MILLIS, meter::sample);
        return meter;
    }

    Usage stop() throws InterruptedException {
        sampler.close();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        double cpuSeconds = (cpuNanos() - cpuAtStart) / 1e9;
        return new Usage(cpuSeconds, peak, peakAfterGc, threadCpu.secondsByPart(cpuSeconds));
    }

    /**
     * Every fifth time, the threads' clocks; after every collection seen, the heap pools' usage
     * after it, summed, keeping the largest.
     */
    private void sample() {
        if (++samples % THREAD_CPU_EVERY == 0) {
            threadCpu.sample();
        }
        for (int i = 0; i < collectors.size(); i++) {
            GcInfo last = collectors.get(i).getLastGcInfo();
            if (last != null && last.getId() != seen[i]) {
                seen[i] = last.getId();
                long used = 0;
                for (var e : last.getMemoryUsageAfterGc().entrySet()) {
                    MemoryUsage usage = e.getValue();
                    used += heapPools.contains(e.getKey()) ? usage.getUsed() : 0;
                }
                peakAfterGc = Math.max(peakAfterGc, used);
            }
        }
    }

    /** This process's CPU time so far, in nanoseconds. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
