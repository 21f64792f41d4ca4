package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;

/** The goals, set against what was measured. Reported only; nothing asserts them. */
final class BenchGoals {

    /**
     * On RocksDB with incremental checkpoints, the cluster's settings (0.6 when heap was measured).
     */
    static final double SLUICE_OVER_LIMIT = 0.7;

    static final double SLUICE_OVER_NAIVE = 3.0;
    static final double MILLION_JOBS_HEAP_MIB = 1024;

    private BenchGoals() {}

    static List<BenchReport.Goal> of(
            BenchReport.Ratios ratios, LatencyProbe.Figures latency, List<ScaleRun.Figures> scale) {
        List<BenchReport.Goal> goals = new ArrayList<>();
        goals.add(atLeast("sluice_over_limit", SLUICE_OVER_LIMIT, ratios.sluiceOverLimit()));
        // Against the naive job writing to the same S3 server: the like-for-like comparison.
        goals.add(atLeast("sluice_over_naive", SLUICE_OVER_NAIVE, ratios.sluiceOverNaive()));
        if (latency != null) {
            double p99 = latency.p99Millis() / 1e3;
            boolean allSeen = latency.seen() == latency.produced();
            goals.add(
                    new BenchReport.Goal(
                            "p99_visibility_seconds",
                            latency.boundMillis() / 1e3,
                            p99,
                            allSeen && latency.p99Millis() <= latency.boundMillis()));
        }
        for (ScaleRun.Figures s : scale) {
            if (s.jobs() == 1_000_000) {
                goals.add(
                        new BenchReport.Goal(
                                "million_jobs_heap_mib",
                                MILLION_JOBS_HEAP_MIB,
                                s.jobHeapMiB(),
                                s.error() == null && s.jobHeapMiB() <= MILLION_JOBS_HEAP_MIB));
            }
        }
        return goals;
    }

    private static BenchReport.Goal atLeast(String name, double target, double value) {
        return new BenchReport.Goal(name, target, value, value >= target);
    }
}
