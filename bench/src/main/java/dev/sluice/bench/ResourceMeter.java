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

    /** Settling the heap stops after this many rounds, or once a round frees less than this. */
    private static final int MAX_SETTLE_ROUNDS = 5;

    private static final long SETTLED_BYTES = 1024 * 1024;

    private static final long SETTLE_PAUSE_MILLIS = 100;

    /**
     * Threads' clocks every fifth sample (100 ms): a read of 200 threads takes 0.7-1 ms of CPU,
     * about 1% of a core at this pace.
     */
    private static final int THREAD_CPU_EVERY = 5;

    /**
     * CPU seconds used; the wall seconds they were used in (from {@link #start} to {@link #stop},
     * which is not the run's own time: the meter starts once the job is seen running and stops once
     * its result is in); the heap pools' peaks summed (each pool peaks at its own moment, so the
     * sum is an upper bound and can exceed the heap's maximum); the largest heap in use right after
     * a collection; CPU seconds by part of the setup, most first.
     */
    record Usage(
            double cpuSeconds,
            double wallSeconds,
            long peakHeapBytes,
            long peakHeapAfterGcBytes,
            Map<String, Double> cpuSecondsByPart) {

        /** CPU seconds per wall second of the metered time. */
        double cpuCores() {
            return cpuSeconds / wallSeconds;
        }
    }

    private final long cpuAtStart;
    private final long startedNanos = System.nanoTime();
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
        return usedHeapBytes();
    }

    /**
     * The heap in use with nothing of an earlier job left: {@link #liveHeapBytes} after the
     * finalizers have run. A finished Flink task stays reachable from its processing-time service's
     * finalizer until the finalizer thread has run it, and one collection only queues it: at a
     * million jobs a finished job's task kept its config and routing table, 580 MiB, through the
     * next run's baseline, which then read the job's heap as little as 6 MiB.
     */
    static long settledHeapBytes() {
        collectGarbage();
        return usedHeapBytes();
    }

    /**
     * Full collections with the finalizers run between them, so that a run starts without the
     * garbage of what ran before. Called before a job is submitted, never once it runs: a full
     * collection stops the whole JVM, and a run's time starts when its last task is running (it
     * stopped every Flink contender's run for 0.1-0.35 s, and the shortest runs most).
     */
    static void collectGarbage() {
        // What a collection finds to finalize reaches the finalizer's queue a moment later, through
        // another thread: one round may find the queue still empty. Rounds until one frees next
        // to nothing.
        System.gc();
        long used = usedHeapBytes();
        for (int round = 0; round < MAX_SETTLE_ROUNDS; round++) {
            sleepBriefly();
            System.runFinalization();
            System.gc();
            long now = usedHeapBytes();
            if (used - now < SETTLED_BYTES) {
                return;
            }
            used = now;
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(SETTLE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long usedHeapBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Resets the heap pools' peaks, notes the CPU time so far and starts watching collections; the
     * caller has collected the garbage before ({@link #collectGarbage}).
     */
    static ResourceMeter start() {
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
        return new Usage(
                cpuSeconds,
                (System.nanoTime() - startedNanos) / 1e9,
                peak,
                peakAfterGc,
                threadCpu.secondsByPart(cpuSeconds));
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
