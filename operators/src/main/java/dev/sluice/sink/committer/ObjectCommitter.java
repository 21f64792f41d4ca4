package dev.sluice.sink.committer;

import dev.sluice.config.Destination;
import dev.sluice.metrics.TopJobsMetrics;
import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.StrandedUpload;
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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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
 * sink.committer.retries} times (10), then fails the task. So a transient error is never reported
 * as a failed commit (that would drop the staged object): each retry waits a growing backoff first.
 * But one job's destination must never fail the task: when the object's own destination has failed
 * {@link #GIVE_UP_AFTER_RETRIES} retries, a staged object is parked by reference (its record,
 * {@link StrandedUpload}, goes to the park store for {@code bin/sluice redrive}), and without a
 * park store the object is discarded and counted. Only the park store or the manifest store failing
 * (no single job's) is left to Flink's retries and a restart from the checkpoint.
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

    /**
     * Retries after which an object whose own destination keeps failing is given up on (parked by
     * reference, or discarded without a park store), before Flink's {@code sink.committer.retries}
     * (10 by default, and at least {@value} + 1 by the job's settings check) would fail the task:
     * with the backoff, about 6 s of failures beyond the store client's own retries.
     */
    public static final int GIVE_UP_AFTER_RETRIES = 6;

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

    ObjectCommitter(
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
        RETRY,
        /** Its destination kept failing and there is no park store: dropped (the opt-out). */
        DISCARDED
    }

    /** Where an attempt left the object, beside its own destination; counted once told. */
    private enum Moved {
        NOWHERE,
        /** A whole object written to the park store. */
        PARKED,
        /** A staged object parked by reference ({@link StrandedUpload}). */
        STRANDED
    }

    /** {@code movedFor}: why the object was moved (parked or stranded); null when it was not. */
    private record Attempt(
            Outcome outcome, long millis, Exception failure, Moved moved, String movedFor) {

        Attempt(Outcome outcome, long millis, Exception failure, Moved moved) {
            this(outcome, millis, failure, moved, null);
        }
    }

    /** What a whole object's write did: the manifest of what was written where, and why parked. */
    private record Written(BatchManifest manifest, String parkedFor) {

        boolean parked() {
            return parkedFor != null;
        }
    }

    /** The object's own destination failed (not the park or the manifest store). */
    private static final class DestinationFailed extends IOException {
        /** Not tried: the destination is in its cooldown, so there is nothing to retry for. */
        final boolean skipped;

        DestinationFailed(Exception cause) {
            super(cause.getMessage(), cause);
            this.skipped = false;
        }

        DestinationFailed(String skippedReason) {
            super(skippedReason);
            this.skipped = true;
        }
    }

    /**
     * Committables handed on as parked ({@link #handOnParked}), by identity: Flink retries them at
     * once, in the same commit, and their retry finds them done. Task thread only.
     */
    private final Set<ObjectCommittable> handedOn =
            Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    public void commit(Collection<CommitRequest<ObjectCommittable>> requests) {
        requests = withoutHandedOn(requests);
        if (requests.isEmpty()) {
            return;
        }
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
            return new Attempt(Outcome.RETRY, 0, e, Moved.NOWHERE);
        } catch (ExecutionException e) {
            return new Attempt(Outcome.RETRY, 0, e, Moved.NOWHERE);
        }
    }

    /** Commits {@code c} and writes its manifest; on a transient failure, waits its backoff. */
    private Attempt attempt(ObjectCommittable c, int retries) {
        long start = System.currentTimeMillis();
        Moved moved = Moved.NOWHERE;
        String movedFor = null;
        try {
            CommitOutcome outcome = CommitOutcome.COMMITTED;
            BatchManifest manifest = c.manifest();
            if (c.isWhole()) {
                Written written = writeWhole(c);
                manifest = written.manifest();
                moved = written.parked() ? Moved.PARKED : Moved.NOWHERE;
                movedFor = written.parkedFor();
            } else {
                outcome = commitStaged(c);
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
                    moved,
                    movedFor);
        } catch (IntegrityException e) {
            return new Attempt(Outcome.FAILED, 0, e, Moved.NOWHERE);
        } catch (DestinationFailed e) {
            if ((e.skipped || retries >= GIVE_UP_AFTER_RETRIES)
                    && !Thread.currentThread().isInterrupted()) {
                return giveUp(c, e, retries);
            }
            return retry(c, retries, e, moved);
        } catch (IOException | RuntimeException e) {
            return retry(c, retries, e, moved);
        }
    }

    private Attempt retry(ObjectCommittable c, int retries, Exception e, Moved moved) {
        LOG.warn(
                "Commit of {} failed (attempt {}), retrying: {}",
                c.key(),
                retries + 1,
                e.getMessage());
        if (!Thread.currentThread().isInterrupted()) {
            sleep.accept(backoffMillis(retries));
        }
        return new Attempt(Outcome.RETRY, 0, e, moved);
    }

    /**
     * The object's own destination failed every retry: one job's failure, which must not fail the
     * task (Flink would, at {@code sink.committer.retries}). A staged object is parked by
     * reference; without a park store, the object is discarded.
     */
    private Attempt giveUp(ObjectCommittable c, DestinationFailed failure, int retries) {
        if (park.enabled()) {
            try {
                park.strand(c, failure.getMessage());
            } catch (IOException | RuntimeException e) {
                // The park store failing is no single job's failure: Flink's retries decide.
                return retry(c, retries, e, Moved.NOWHERE);
            }
            return new Attempt(Outcome.COMMITTED, 0, null, Moved.STRANDED, failure.getMessage());
        }
        if (!park.discards()) {
            // An embedded pipeline without a park store: Flink's retries and a restart decide.
            return retry(c, retries, failure, Moved.NOWHERE);
        }
        park.discarding(
                c.manifest().jobId(),
                c.destination(),
                c.isWhole() ? c.key() : c.key() + " (upload " + c.uploadId() + " left unfinished)",
                failure.getMessage());
        return new Attempt(Outcome.DISCARDED, 0, failure, Moved.NOWHERE);
    }

    /**
     * Completes a staged object in the store it was staged in. Only a failure of the job's own
     * destination may end in giving up on it: one staged in the park store is retried until Flink
     * fails the task, as the park store failing is no single job's fault.
     */
    private CommitOutcome commitStaged(ObjectCommittable c) throws IOException {
        boolean inParkStore = park.enabled() && c.destination().equals(park.conf());
        try {
            Destination destination = Destination.parse(c.destination());
            return stores.forDestination(destination).commit(destination, c);
        } catch (IntegrityException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (inParkStore || interrupted(e)) {
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            throw new DestinationFailed(e);
        }
    }

    /**
     * Writes a whole object to its destination, or to the park destination when its destination
     * fails or is in its cooldown.
     */
    private Written writeWhole(ObjectCommittable c) throws IOException {
        if (park.skips(c.destination())) {
            if (!park.enabled()) {
                throw new DestinationFailed(park.skippedReason(c.destination()));
            }
            String reason = park.skippedReason(c.destination());
            return new Written(park.put(c, reason), reason);
        }
        try {
            putWhole(c);
        } catch (IOException e) {
            if (interrupted(e)) {
                // The task is going away, not the destination; the job restores this object from
                // its checkpoint and writes it again.
                throw e;
            }
            park.failed(c.manifest().jobId(), c.destination(), c.manifest().seq(), e);
            if (!park.enabled()) {
                throw new DestinationFailed(e);
            }
            return new Written(park.put(c, e.getMessage()), String.valueOf(e.getMessage()));
        }
        park.delivered(c.destination());
        return new Written(c.manifest(), null);
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

    private static boolean interrupted(Exception e) {
        return e instanceof InterruptedIOException
                || e instanceof ClosedByInterruptException
                || Thread.currentThread().isInterrupted();
    }

    private void signal(CommitRequest<ObjectCommittable> request, Attempt attempt) {
        ObjectCommittable c = request.getCommittable();
        long jobId = c.manifest().jobId();
        if (attempt.moved() == Moved.PARKED) {
            park.counted(c.records());
        } else if (attempt.moved() == Moved.STRANDED) {
            park.countedStranded(c.records());
        }
        if (attempt.moved() != Moved.NOWHERE && attempt.outcome() == Outcome.COMMITTED) {
            handOnParked(request, attempt.movedFor());
            return;
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
            case DISCARDED -> {
                park.countedDiscarded(c.records());
                request.signalFailedWithKnownReason(attempt.failure());
            }
            case RETRY -> {
                retries.inc();
                byJob.add(jobId, 2, 1);
                request.retryLater();
            }
        }
    }

    /**
     * Hands the committable on as parked, so what follows the commit (the jobs' status, {@link
     * dev.sluice.sink.CommittedObjects}) sees where the batch went and why. Flink retries it at
     * once ({@link CommitRequest#updateAndRetryLater}); the retry finds it in {@link #handedOn},
     * done.
     */
    private void handOnParked(CommitRequest<ObjectCommittable> request, String reason) {
        ObjectCommittable c = request.getCommittable();
        ObjectCommittable parked = c.parked(park.conf(), park.parkedKey(c.key()), reason);
        handedOn.add(parked);
        request.updateAndRetryLater(parked);
    }

    /** Signals the retries of handed-on committables committed; returns the other requests. */
    private Collection<CommitRequest<ObjectCommittable>> withoutHandedOn(
            Collection<CommitRequest<ObjectCommittable>> requests) {
        if (handedOn.isEmpty()) {
            return requests;
        }
        List<CommitRequest<ObjectCommittable>> rest = new ArrayList<>(requests.size());
        for (CommitRequest<ObjectCommittable> request : requests) {
            if (handedOn.remove(request.getCommittable())) {
                signal(request, new Attempt(Outcome.COMMITTED, 0, null, Moved.NOWHERE));
            } else {
                rest.add(request);
            }
        }
        return rest;
    }

    @Override
    public void close() {
        committing.shutdownNow();
        stores.close();
    }
}
