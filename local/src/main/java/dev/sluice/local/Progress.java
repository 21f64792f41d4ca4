package dev.sluice.local;

import dev.sluice.route.RouteFunction;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Follows a local run: delivered objects read back from the bucket, and the job's counters. */
final class Progress {

    private final BucketReader bucket;
    private final PrintStream out;
    private final Map<Long, List<DeliveredObject>> objectsByJob = new HashMap<>();
    private long objects;
    private long delivered;

    Progress(BucketReader bucket, PrintStream out) {
        this.bucket = bucket;
        this.out = out;
    }

    /** Reads objects delivered since the last call. */
    void collect() {
        for (DeliveredObject o : bucket.readNew()) {
            objectsByJob.computeIfAbsent(o.jobId(), j -> new ArrayList<>()).add(o);
            objects++;
            delivered += o.records();
        }
    }

    List<DeliveredObject> objectsOf(long jobId) {
        return objectsByJob.getOrDefault(jobId, List.of());
    }

    /** The jobs with a delivered object. */
    java.util.Set<Long> jobs() {
        return objectsByJob.keySet();
    }

    void print(long elapsedMillis, long produced, Map<String, Object> accumulators) {
        try {
            collect();
        } catch (RuntimeException e) {
            // The embedded S3 server can fail a listing that races with an upload; next tick.
            out.printf(
                    "(bucket listing failed, retrying at the next report: %s)%n", e.getMessage());
        }
        out.printf(
                "[%4ds] produced %,d  routed %,d  dropped (unconfigured) %,d  delivered %,d in %,d"
                        + " objects%n",
                elapsedMillis / 1000,
                produced,
                sum(accumulators.get(RouteFunction.ROUTED_BY_JOB)),
                sum(accumulators.get(RouteFunction.UNCONFIGURED_BY_CUSTOMER)),
                delivered,
                objects);
    }

    void printFinal(long produced, LocalSummary summary) {
        long in = summary.jobs().stream().mapToLong(LocalSummary.Job::recordsIn).sum();
        long filtered = summary.jobs().stream().mapToLong(LocalSummary.Job::filtered).sum();
        long sampledOut = summary.jobs().stream().mapToLong(LocalSummary.Job::sampledOut).sum();
        long balanced = summary.jobs().stream().filter(LocalSummary.Job::balances).count();
        out.printf(
                "Done: produced %,d; %,d in for %d jobs (filtered %,d, sampled out %,d);"
                        + " delivered %,d in %,d objects; dropped %,d of %d unconfigured"
                        + " customers; %d of %d jobs balance.%n",
                produced,
                in,
                summary.jobs().size(),
                filtered,
                sampledOut,
                delivered,
                objects,
                summary.unconfigured().records(),
                summary.unconfigured().customers(),
                balanced,
                summary.jobs().size());
    }

    @SuppressWarnings("unchecked")
    private static long sum(Object counts) {
        if (!(counts instanceof Map)) {
            return 0;
        }
        return ((Map<String, Long>) counts).values().stream().mapToLong(Long::longValue).sum();
    }
}
