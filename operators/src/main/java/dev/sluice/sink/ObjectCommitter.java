package dev.sluice.sink;

import dev.sluice.config.Destination;
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

/**
 * Makes staged objects visible once their checkpoint is complete. Idempotent: a commit that an
 * earlier attempt already completed is recognised by the object being there with the staged length.
 * Transient store errors are retried; an integrity failure is never a success. With a manifest
 * destination, each committed object's manifest is written after it.
 */
final class ObjectCommitter implements Committer<ObjectCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectCommitter.class);

    /** Retries of one commit before it is reported failed (Flink retries about once a second). */
    static final int MAX_RETRIES = 30;

    private final ObjectStores stores = new ObjectStores();
    private final ManifestWriter manifests;
    private final Counter committed;
    private final Counter retries;
    private final Histogram commitMillis;

    /**
     * @param manifests where each committed object's manifest is written; null for nowhere
     */
    ObjectCommitter(ManifestWriter manifests, MetricGroup metrics) {
        this.manifests = manifests;
        MetricGroup sluice = metrics.addGroup("sluice");
        this.committed = sluice.counter("objectsCommitted");
        this.retries = sluice.counter("commitRetries");
        this.commitMillis =
                sluice.histogram("commitMillis", new DescriptiveStatisticsHistogram(1024));
    }

    ObjectCommitter() {
        this(null, new UnregisteredMetricsGroup());
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
            commitMillis.update(System.currentTimeMillis() - start);
        } catch (IntegrityException e) {
            LOG.error(
                    "Object {} failed verification and was not counted as delivered: {}. Check the"
                            + " destination for a concurrent writer or a lifecycle rule.",
                    c.key(),
                    e.getMessage());
            request.signalFailedWithKnownReason(e);
        } catch (IOException | RuntimeException e) {
            if (request.getNumberOfRetries() < MAX_RETRIES) {
                LOG.warn("Commit of {} failed, retrying: {}", c.key(), e.getMessage());
                retries.inc();
                request.retryLater();
            } else {
                LOG.error(
                        "Commit of {} failed {} times; the staged upload {} remains in the store."
                                + " Check the destination's availability and credentials.",
                        c.key(),
                        MAX_RETRIES,
                        c.uploadId(),
                        e);
                request.signalFailedWithKnownReason(e);
            }
        }
    }

    @Override
    public void close() {
        stores.close();
    }
}
