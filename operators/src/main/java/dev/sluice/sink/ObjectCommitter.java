package dev.sluice.sink;

import dev.sluice.config.Destination;
import dev.sluice.metrics.TopJobsMetrics;
import dev.sluice.sink.store.CommitOutcome;
import dev.sluice.sink.store.IntegrityException;
import dev.sluice.sink.store.ObjectStores;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.function.LongConsumer;

/**
 * Makes staged objects visible once their checkpoint is complete. Idempotent: a commit that an
 * earlier attempt already completed is recognised by the object being there with the staged length.
 * Transient store errors are retried; an integrity failure is never a success. With a manifest
 * destination, each committed object's manifest is written after it.
 *
 * <p>Flink 2.2 retries a commit asked to {@link CommitRequest#retryLater} at once, up to {@code
 * sink.committer.retries} times (10), then fails the task; the job then restarts from its
 * checkpoint and commits the same staged objects again. So a transient error is never reported as a
 * failed commit (that would drop the staged object): each retry waits a growing backoff first,
 * which spreads Flink's retries over about half a minute before a restart, and a longer outage
 * costs restarts, never data.
 */
final class ObjectCommitter implements Committer<ObjectCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectCommitter.class);

    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /** How long to wait before the retry after {@code retries} failed attempts. */
    static long backoffMillis(int retries) {
        return Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(retries, 16));
    }

    private final ObjectStores stores = new ObjectStores();
    private final ManifestWriter manifests;
    private final Counter committed;
    private final Counter retries;
    private final Histogram commitMillis;
    private final LongConsumer sleep;
    private final TopJobsMetrics byJob;

    /**
     * @param manifests where each committed object's manifest is written; null for nowhere
     */
    ObjectCommitter(ManifestWriter manifests, MetricGroup metrics) {
        this(manifests, metrics, ObjectCommitter::sleep);
    }

    ObjectCommitter(ManifestWriter manifests, MetricGroup metrics, LongConsumer sleep) {
        this.manifests = manifests;
        this.sleep = sleep;
        MetricGroup sluice = metrics.addGroup("sluice");
        this.committed = sluice.counter("objectsCommitted");
        this.retries = sluice.counter("commitRetries");
        this.commitMillis =
                sluice.histogram("commitMillis", new DescriptiveStatisticsHistogram(1024));
        this.byJob =
                new TopJobsMetrics(
                        sluice,
                        20,
                        10_000,
                        System::currentTimeMillis,
                        "commitMillis",
                        "commits",
                        "commitRetries");
    }

    ObjectCommitter() {
        this(null, new UnregisteredMetricsGroup());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void commit(Collection<CommitRequest<ObjectCommittable>> requests) {
        for (CommitRequest<ObjectCommittable> request : requests) {
            commit(request);
        }
    }

    private void commit(CommitRequest<ObjectCommittable> request) {
        ObjectCommittable c = request.getCommittable();
        Destination destination = Destination.parse(c.destination());
        long start = System.currentTimeMillis();
        try {
            CommitOutcome outcome = stores.forDestination(destination).commit(destination, c);
            if (manifests != null) {
                // A failure here retries the commit, which finds the object committed and
                // writes the manifest again: the object never stays without its manifest.
                manifests.write(stores, c.manifest());
            }
            if (outcome == CommitOutcome.ALREADY_COMMITTED) {
                request.signalAlreadyCommitted();
            }
            committed.inc();
            long millis = System.currentTimeMillis() - start;
            commitMillis.update(millis);
            byJob.add(c.manifest().jobId(), 0, millis);
            byJob.add(c.manifest().jobId(), 1, 1);
        } catch (IntegrityException e) {
            LOG.error(
                    "Object {} failed verification and was not counted as delivered: {}. Check the"
                            + " destination for a concurrent writer or a lifecycle rule.",
                    c.key(),
                    e.getMessage());
            request.signalFailedWithKnownReason(e);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Commit of {} failed (attempt {}), retrying: {}",
                    c.key(),
                    request.getNumberOfRetries() + 1,
                    e.getMessage());
            retries.inc();
            byJob.add(c.manifest().jobId(), 2, 1);
            if (!Thread.currentThread().isInterrupted()) {
                sleep.accept(backoffMillis(request.getNumberOfRetries()));
            }
            request.retryLater();
        }
    }

    @Override
    public void close() {
        stores.close();
    }
}
