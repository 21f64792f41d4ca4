package dev.sluice.sink.committer;

import dev.sluice.config.Destination;
import dev.sluice.metrics.TopJobsMetrics;
import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.park.DestinationHealth;
import dev.sluice.sink.park.ParkRoute;
import dev.sluice.sink.store.CommitOutcome;
import dev.sluice.sink.store.DestinationUnusableException;
import dev.sluice.sink.store.IntegrityException;
import dev.sluice.sink.store.ObjectStore;
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
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>A committable that carries its whole object ({@link ObjectCommittable#isWhole}) is written in
 * one request, a PUT of the same bytes under the same key, so a retry or a restart writes it again
 * harmlessly. Nothing of it met the destination before, so this is where a failing destination is
 * found: by the writer's park policy ({@link ParkRoute}), the object is then parked (when a park
 * destination is set), and the destination is skipped for a cooldown so a dead one costs one
 * timeout, not one per object.
 *
 * <p>The requests of a checkpoint are committed up to {@link #COMMITS_IN_FLIGHT} at a time, on
 * threads of their own: each commit is a few round trips (complete, then verify), and at the end of
 * input or after a quiet spell thousands of small objects wait for one checkpoint.
 */
public final class ObjectCommitter implements Committer<ObjectCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectCommitter.class);

    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /** How long to wait before the retry after {@code retries} failed attempts. */
    static long backoffMillis(int retries) {
        return Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(retries, 16));
    }

    /** Commits under way at once per committer. */
    static final int COMMITS_IN_FLIGHT = 8;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ObjectStores stores = new ObjectStores();
    private final ExecutorService committing =
            Executors.newFixedThreadPool(
                    COMMITS_IN_FLIGHT,
                    r -> {
                        Thread t = new Thread(r, "sluice-commit-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
    private final ManifestWriter manifests;
    private final ParkRoute park;
    private final Counter committed;
    private final Counter retries;
    private final Histogram commitMillis;
    private final LongConsumer sleep;
    private final TopJobsMetrics byJob;

    /**
     * @param manifests where each committed object's manifest is written; null for nowhere
     * @param parkConf where whole objects whose destination fails are parked; empty for none
     * @param health which destinations failed lately, for whole objects
     */
    public ObjectCommitter(
            ManifestWriter manifests,
            MetricGroup metrics,
            String parkConf,
            DestinationHealth health) {
        this(manifests, metrics, parkConf, health, ObjectCommitter::sleep);
    }

    ObjectCommitter(ManifestWriter manifests, MetricGroup metrics, LongConsumer sleep) {
        this(
                manifests,
                metrics,
                "",
                new DestinationHealth(
                        SinkSettings.DEFAULT_COOLDOWN_MILLIS,
                        SinkSettings.DEFAULT_MAX_COOLDOWN_MILLIS),
                sleep);
    }

    private ObjectCommitter(
            ManifestWriter manifests,
            MetricGroup metrics,
            String parkConf,
            DestinationHealth health,
            LongConsumer sleep) {
        this.manifests = manifests;
        this.sleep = sleep;
        MetricGroup sluice = metrics.addGroup("sluice");
        this.committed = sluice.counter("objectsCommitted");
        this.retries = sluice.counter("commitRetries");
        // Whole objects are parked here, staged ones by the writer, by the same route.
        this.park = new ParkRoute(parkConf, health, System::currentTimeMillis, stores, sluice);
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
        this(null, new UnregisteredMetricsGroup(), ObjectCommitter::sleep);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How one attempt at one commit ended; its request is told so on the task thread. */
    private enum Outcome {
        COMMITTED,
        ALREADY_COMMITTED,
        FAILED,
        RETRY
    }

    /** {@code parked}: the attempt wrote a whole object to the park store (counted once told). */
    private record Attempt(Outcome outcome, long millis, Exception failure, boolean parked) {}

    /** What a whole object's write did: the manifest of what was written where. */
    private record Written(BatchManifest manifest, boolean parked) {}

    @Override
    public void commit(Collection<CommitRequest<ObjectCommittable>> requests) {
        if (requests.size() == 1) {
            CommitRequest<ObjectCommittable> request = requests.iterator().next();
            signal(request, attempt(request.getCommittable(), request.getNumberOfRetries()));
            return;
        }
        List<CommitRequest<ObjectCommittable>> all = List.copyOf(requests);
        List<CompletableFuture<Attempt>> attempts = new ArrayList<>(all.size());
        for (CommitRequest<ObjectCommittable> request : all) {
            ObjectCommittable c = request.getCommittable();
            int retries = request.getNumberOfRetries();
            attempts.add(CompletableFuture.supplyAsync(() -> attempt(c, retries), committing));
        }
        for (int i = 0; i < all.size(); i++) {
            signal(all.get(i), await(attempts.get(i)));
        }
    }

    private static Attempt await(CompletableFuture<Attempt> attempt) {
        try {
            return attempt.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(Outcome.RETRY, 0, e, false);
        } catch (ExecutionException e) {
            return new Attempt(Outcome.RETRY, 0, e, false);
        }
    }

    /** Commits {@code c} and writes its manifest; on a transient failure, waits its backoff. */
    private Attempt attempt(ObjectCommittable c, int retries) {
        long start = System.currentTimeMillis();
        Written written = null;
        try {
            CommitOutcome outcome = CommitOutcome.COMMITTED;
            BatchManifest manifest = c.manifest();
            if (c.isWhole()) {
                written = writeWhole(c);
                manifest = written.manifest();
            } else {
                Destination destination = Destination.parse(c.destination());
                outcome = stores.forDestination(destination).commit(destination, c);
            }
            if (manifests != null) {
                // A failure here retries the commit, which finds the object committed (or writes
                // it again) and writes the manifest again: no object stays without its manifest.
                manifests.write(stores, manifest);
            }
            return new Attempt(
                    outcome == CommitOutcome.ALREADY_COMMITTED
                            ? Outcome.ALREADY_COMMITTED
                            : Outcome.COMMITTED,
                    System.currentTimeMillis() - start,
                    null,
                    written != null && written.parked());
        } catch (IntegrityException e) {
            return new Attempt(Outcome.FAILED, 0, e, false);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Commit of {} failed (attempt {}), retrying: {}",
                    c.key(),
                    retries + 1,
                    e.getMessage());
            if (!Thread.currentThread().isInterrupted()) {
                sleep.accept(backoffMillis(retries));
            }
            return new Attempt(Outcome.RETRY, 0, e, written != null && written.parked());
        }
    }

    /**
     * Writes a whole object to its destination, or to the park destination when its destination
     * fails or is in its cooldown.
     */
    private Written writeWhole(ObjectCommittable c) throws IOException {
        if (park.skips(c.destination())) {
            return new Written(park.put(c, park.skippedReason(c.destination())), true);
        }
        try {
            putWhole(c);
        } catch (IOException e) {
            if (!park.enabled() || interrupted(e)) {
                // Interrupted: the task is going away, not the destination; the job restores this
                // object from its checkpoint and writes it again.
                throw e;
            }
            park.failed(c.manifest().jobId(), c.destination(), c.manifest().seq(), e);
            return new Written(park.put(c, e.getMessage()), true);
        }
        park.delivered(c.destination());
        return new Written(c.manifest(), false);
    }

    /**
     * Writes a whole object to its own destination; a destination whose store cannot be set up
     * fails as a store does, so it is parked like any other failing destination.
     */
    private void putWhole(ObjectCommittable c) throws IOException {
        ObjectStore store;
        Destination destination;
        try {
            destination = Destination.parse(c.destination());
            store = stores.forDestination(destination);
        } catch (RuntimeException e) {
            throw new DestinationUnusableException(c.destination(), e);
        }
        store.putWhole(destination, c);
    }

    private static boolean interrupted(IOException e) {
        return e instanceof InterruptedIOException
                || e instanceof ClosedByInterruptException
                || Thread.currentThread().isInterrupted();
    }

    private void signal(CommitRequest<ObjectCommittable> request, Attempt attempt) {
        ObjectCommittable c = request.getCommittable();
        long jobId = c.manifest().jobId();
        if (attempt.parked()) {
            park.counted(c.records());
        }
        switch (attempt.outcome()) {
            case COMMITTED, ALREADY_COMMITTED -> {
                if (attempt.outcome() == Outcome.ALREADY_COMMITTED) {
                    request.signalAlreadyCommitted();
                }
                committed.inc();
                commitMillis.update(attempt.millis());
                byJob.add(jobId, 0, attempt.millis());
                byJob.add(jobId, 1, 1);
            }
            case FAILED -> {
                LOG.error(
                        "Object {} failed verification and was not counted as delivered: {}."
                                + " Check the destination for a concurrent writer or a lifecycle"
                                + " rule.",
                        c.key(),
                        attempt.failure().getMessage());
                request.signalFailedWithKnownReason(attempt.failure());
            }
            case RETRY -> {
                retries.inc();
                byJob.add(jobId, 2, 1);
                request.retryLater();
            }
        }
    }

    @Override
    public void close() {
        committing.shutdownNow();
        stores.close();
    }
}
