package dev.sluice.chaos;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/** Checks and waits the scenarios share: restarts, and waiting for the job to catch up. */
final class JobChecks {

    private JobChecks() {}

    /** "The job never restarted": failures in its exception history, which lists them at once. */
    static Check noRestarts(ChaosRig rig) throws Exception {
        int failures = rig.rest().failures(rig.job());
        String causes =
                failures == 0 ? "0" : failures + " (" + rig.rest().failureCauses(rig.job()) + ")";
        return Check.that("job restarts", "0", causes, failures == 0);
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
