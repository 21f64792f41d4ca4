package dev.sluice.tests;

import dev.sluice.route.RouteFunction;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The router's records per job id ({@link RouteFunction#ROUTED_BY_JOB}) of a running job. */
final class RoutedCounts {

    private static final long WAIT_MILLIS = 60_000;

    private RoutedCounts() {}

    /** Job id to records routed so far; empty before the router has reported any. */
    @SuppressWarnings("unchecked")
    static Map<String, Long> of(JobClient job) throws Exception {
        Object counts =
                job.getAccumulators().get(10, TimeUnit.SECONDS).get(RouteFunction.ROUTED_BY_JOB);
        return counts == null ? Map.of() : (Map<String, Long>) counts;
    }

    /** Records routed so far, over all jobs. */
    static long total(JobClient job) throws Exception {
        return of(job).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Polls until {@code done} holds, failing after a minute; returns the counts that did. */
    static Map<String, Long> await(JobClient job, Predicate<Map<String, Long>> done)
            throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        Map<String, Long> routed = of(job);
        while (!done.test(routed)) {
            assertThat(System.currentTimeMillis())
                    .as("routed in time: %s", routed)
                    .isLessThan(deadline);
            Thread.sleep(200);
            routed = of(job);
        }
        return routed;
    }

    /**
     * Stops the job with a drain (every batch flushed and committed) into a savepoint under {@code
     * savepoints}; the records routed per job over the whole run.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Long> afterDrain(JobClient job, Path savepoints) throws Exception {
        job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        return (Map<String, Long>)
                job.getJobExecutionResult()
                        .get(2, TimeUnit.MINUTES)
                        .getAllAccumulatorResults()
                        .get(RouteFunction.ROUTED_BY_JOB);
    }
}
