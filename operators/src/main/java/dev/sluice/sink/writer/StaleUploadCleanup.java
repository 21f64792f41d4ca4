package dev.sluice.sink.writer;

import dev.sluice.config.Destination;
import dev.sluice.sink.BatchChunk;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Aborts a job's leftover uploads at the first batch of it a restarted or restored writer sees:
 * uploads with the same or a later sequence can only be a failed attempt's.
 */
final class StaleUploadCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(StaleUploadCleanup.class);

    private final BatchStores stores;

    /** False on a first attempt that restored nothing: no earlier attempt staged anything. */
    private final boolean enabled;

    private final Set<Long> jobsSeen = new HashSet<>();
    private final Counter aborted;
    private final Counter failed;

    StaleUploadCleanup(BatchStores stores, boolean enabled, MetricGroup sluice) {
        this.stores = stores;
        this.enabled = enabled;
        this.aborted = sluice.counter("staleUploadsAborted");
        this.failed = sluice.counter("staleUploadCleanupsFailed");
    }

    /** Cleans up after the job of {@code first} in its destination and the park store, once. */
    void beforeBatch(BatchChunk first) {
        if (enabled && jobsSeen.add(first.jobId)) {
            abortStale(() -> stores.destination(first.destination), first);
            stores.park().destination().ifPresent(park -> abortStale(() -> park, first));
        }
    }

    /**
     * Best effort: a leftover upload costs storage, never correctness (it is never completed), so a
     * failed cleanup is logged and the batch still goes out. A destination that cannot be used at
     * all fails its batch right after this, where it is parked.
     */
    private void abortStale(Supplier<Destination> where, BatchChunk batch) {
        try {
            Destination destination = where.get();
            int count =
                    stores.stores()
                            .forDestination(destination)
                            .abortStale(destination, batch.jobId, batch.seq);
            if (count > 0) {
                LOG.info(
                        "Aborted {} stale uploads of job {} from sequence {}",
                        count,
                        batch.jobId,
                        batch.seq);
                aborted.inc(count);
            }
        } catch (IOException | RuntimeException e) {
            failed.inc();
            LOG.warn(
                    "Could not clean up stale uploads of job {}; they are never completed, and a"
                        + " bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them:"
                        + " {}",
                    batch.jobId,
                    e.getMessage());
        }
    }
}
