package dev.sluice.chaos;

import dev.sluice.local.FlinkRest;
import dev.sluice.local.PrometheusScrape;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Checks and waits the scenarios share: restarts, and waiting for the job to catch up. */
final class JobChecks {

    /** Slack on top of a job's interval for a batch's checkpoint, commit and our polling. */
    static final long LATENCY_SLACK_MILLIS = 10_000;

    private JobChecks() {}

    /**
     * "Heap after GC stayed flat": its largest value from {@code from} to {@code to} (seconds of
     * the recording) at most 1.5 times its largest before {@code from}, plus 64 MiB.
     */
    static Check heapStaysFlat(String check, SeriesRecorder recorder, double from, double to) {
        double before = recorder.max("heapAfterGcMiB", 0, from);
        return Check.atMost(check, before * 1.5 + 64, recorder.max("heapAfterGcMiB", from, to));
    }

    /**
     * "Each of {@code jobs} delivered within its interval" from {@code fromMillis} to {@code
     * toMillis}: the largest delivery latency, and the longest a job went without an object, both
     * within the jobs' interval and {@link #LATENCY_SLACK_MILLIS}.
     */
    static List<Check> deliveredWithinInterval(
            DeliveryWatch watch,
            Collection<Long> jobs,
            long fromMillis,
            long toMillis,
            String latencyCheck,
            String gapCheck) {
        double bound = (ChaosJobs.INTERVAL_SECONDS * 1000L + LATENCY_SLACK_MILLIS) / 1000.0;
        return List.of(
                Check.atMost(
                        latencyCheck,
                        bound,
                        watch.maxLatencyMillis(jobs, fromMillis, toMillis) / 1000.0),
                Check.atMost(
                        gapCheck, bound, watch.maxGapMillis(jobs, fromMillis, toMillis) / 1000.0));
    }

    /** "The job never restarted": failures in its exception history, which lists them at once. */
    static Check noRestarts(ChaosRig rig) throws Exception {
        List<FlinkRest.Failure> failures = rig.rest().failures(rig.job());
        String causes =
                failures.isEmpty()
                        ? "0"
                        : failures.size()
                                + " ("
                                + failures.stream()
                                        .map(FlinkRest.Failure::exceptionName)
                                        .collect(Collectors.joining("; "))
                                + ")";
        return Check.that("job restarts", "0", causes, failures.isEmpty());
    }

    /**
     * Waits until a metric, read from fresh scrapes, reaches {@code target}; returns the last value
     * read (NaN if none). Records pass Kafka and the router in a moment, but a loaded machine may
     * need seconds.
     */
    static double awaitMetric(
            ChaosRig rig,
            ToDoubleFunction<PrometheusScrape> metric,
            double target,
            Duration timeout)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        double value = Double.NaN;
        while (System.currentTimeMillis() < deadline) {
            try {
                value = metric.applyAsDouble(rig.scrape());
                if (value >= target) {
                    return value;
                }
            } catch (Exception e) {
                // The reporter is not up or the job restarts; try again.
            }
            Thread.sleep(500);
        }
        return value;
    }
}
