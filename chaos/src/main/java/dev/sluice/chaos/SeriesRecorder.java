package dev.sluice.chaos;

import dev.sluice.local.FlinkRest;
import dev.sluice.local.PrometheusScrape;
import dev.sluice.local.Sampler;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Samples the job once a second while a scenario runs: heap (the JVM holds the whole MiniCluster),
 * checkpointed state size, the buffer's open batches and bytes, routing and delivery counters,
 * restarts and source backpressure, from the MiniCluster's REST API and Prometheus reporter. Each
 * series is a list of {@code [seconds since start, value]}; events mark the scenario's phases.
 */
public final class SeriesRecorder implements AutoCloseable {

    private static final long PERIOD_MILLIS = 1_000;
    private static final double MIB = 1024 * 1024;

    private final ChaosRig rig;
    private final long start = System.currentTimeMillis();
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private final List<Object[]> events = new ArrayList<>();
    private final Sampler sampler;

    public SeriesRecorder(ChaosRig rig) {
        this.rig = rig;
        this.sampler = Sampler.start("chaos-series", PERIOD_MILLIS, this::sample);
    }

    private void sample() {
        double t = seconds(System.currentTimeMillis());
        put(
                "heapUsedMiB",
                t,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB);
        double afterGc = heapAfterLastGc();
        if (afterGc >= 0) {
            put("heapAfterGcMiB", t, afterGc / MIB);
        }
        try {
            FlinkRest.Checkpoints c = rig.rest().checkpoints(rig.job());
            put("checkpointStateBytes", t, c.latestStateBytes());
            put("checkpointsCompleted", t, c.completed());
        } catch (Exception e) {
            // Between attempts the job has no checkpoint statistics; skip this sample.
        }
        try {
            PrometheusScrape s = rig.scrape();
            if (!s.samples(PrometheusScrape.SLUICE + "activeJobs").isEmpty()) {
                put("activeJobs", t, s.sluice("activeJobs"));
                put("bufferedBytes", t, s.sluice("bufferedBytes"));
                put("recordsRouted", t, s.sluice("recordsRouted"));
                put(
                        "droppedUnconfigured",
                        t,
                        s.sluice("dropped_records", "dropped=\"unconfigured\""));
                put("objectsCommitted", t, s.sluice("objectsCommitted"));
                put(
                        "recordsStaged",
                        t,
                        s.sum(
                                "flink_taskmanager_job_task_operator_numRecordsSend",
                                "operator_name=\"Object_sink"));
                put("restarts", t, s.max("flink_jobmanager_job_numRestarts"));
                put("parkedBatches", t, s.sluice("parkedBatches"));
                put("configVersion", t, s.min(PrometheusScrape.SLUICE + "configVersion"));
                put(
                        "sourceBackPressuredMsPerSecond",
                        t,
                        s.max(
                                "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                                "Forwarded_logs"));
            }
        } catch (Exception e) {
            // The reporter is restarting with the job; skip this sample.
        }
    }

    /** Heap in use right after the most recent garbage collection; -1 before the first. */
    static double heapAfterLastGc() {
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        com.sun.management.GcInfo latest = null;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean) {
                com.sun.management.GcInfo info =
                        ((com.sun.management.GarbageCollectorMXBean) gc).getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return -1;
        }
        double used = 0;
        for (Map.Entry<String, MemoryUsage> e : latest.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        return used;
    }

    private synchronized void put(String name, double t, double value) {
        if (!Double.isNaN(value)) {
            series.computeIfAbsent(name, k -> new ArrayList<>())
                    .add(new double[] {round(t), value});
        }
    }

    /** Marks a phase of the scenario at this moment. */
    public synchronized void mark(String event) {
        events.add(new Object[] {round(seconds(System.currentTimeMillis())), event});
    }

    /** Seconds since the recorder started, of a wall-clock time. */
    public double seconds(long millis) {
        return (millis - start) / 1000.0;
    }

    /** The largest value of a series between two times (seconds); NaN without samples. */
    public synchronized double max(String name, double from, double to) {
        return series.getOrDefault(name, List.of()).stream()
                .filter(p -> p[0] >= from && p[0] <= to)
                .mapToDouble(p -> p[1])
                .max()
                .orElse(Double.NaN);
    }

    /** The largest value of a series; NaN without samples. */
    public double max(String name) {
        return max(name, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** The last value of a series; NaN without samples. */
    public synchronized double last(String name) {
        List<double[]> points = series.getOrDefault(name, List.of());
        return points.isEmpty() ? Double.NaN : points.get(points.size() - 1)[1];
    }

    /** Every series and the events, for the report. */
    public synchronized Map<String, Object> toReport() {
        Map<String, Object> report = new LinkedHashMap<>(series);
        report.put("events", new ArrayList<>(events));
        return report;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    @Override
    public void close() throws InterruptedException {
        sampler.close();
    }
}
