package dev.sluice.sink.park;

import dev.sluice.config.Destination;
import dev.sluice.metrics.LogLimiter;
import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.Parking;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.StrandedUpload;
import dev.sluice.sink.store.ObjectStores;
import dev.sluice.sink.store.StagedObject;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The one park policy of the writer and the committer: when a batch skips its destination, how a
 * failure is recorded, and where and how the batch is parked ({@link Parking}).
 *
 * <p>A failed destination is skipped for its cooldown ({@link DestinationHealth}), so a dead one
 * costs one timeout, not one per batch.
 *
 * <p>Without a park destination (the operator's explicit opt-out, {@code
 * sluice.sink.park-destination: none}, {@link #discards}) a batch that its destination fails, or
 * that comes during the destination's cooldown, is discarded: counted ({@code discardedBatches},
 * {@code discardedRecords}) and logged at most once per interval. Nothing of it is held, so the
 * opt-out costs no memory; its price is that job's failing batches. Either way one job's failure
 * never fails the task. (Only embedded pipelines may leave the park destination empty: there a
 * failure is the caller's to throw, and the task restarts from its checkpoint.)
 */
public final class ParkRoute {

    private static final Logger LOG = LoggerFactory.getLogger(ParkRoute.class);

    private static final long DISCARD_LOG_INTERVAL_MILLIS = 10_000;

    private static final String JSON = "application/json";

    /** Why a batch whose destination is in its cooldown is parked without a try. */
    public static final String SKIPPED = "destination unhealthy: skipped during its cooldown";

    private final String conf;

    /** The park destination; null for none. */
    private final Destination park;

    /** No park store on purpose ({@link SinkSettings#NO_PARK_DESTINATION}): failing batches go. */
    private final boolean discards;

    private final DestinationHealth health;
    private final LongSupplier clock;
    private final ObjectStores stores;
    private final Counter parkedBatches;
    private final Counter parkedRecords;
    private final Counter strandedUploads;
    private final Counter discardedBatches;
    private final Counter discardedRecords;

    /** Discards are logged from the writer's and the committer's threads. */
    private final LogLimiter discardLog;

    /**
     * Each failing destination's last failure, named again by the batches parked untried during its
     * cooldown, so every parked object says why. One entry per failing destination, gone once it
     * delivers; the committer's threads write it too.
     */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

    /**
     * @param conf the park destination's {@code destination_conf}; empty for none
     * @param sluice the caller's {@code sluice} group: the writer's and the committer's parked
     *     batches are counted under the same names
     */
    public ParkRoute(
            String conf,
            DestinationHealth health,
            LongSupplier clock,
            ObjectStores stores,
            MetricGroup sluice) {
        this.conf = conf;
        this.discards = SinkSettings.NO_PARK_DESTINATION.equals(conf);
        this.park = conf.isEmpty() || discards ? null : Destination.parse(conf);
        this.health = health;
        this.clock = clock;
        this.stores = stores;
        this.parkedBatches = sluice.counter("parkedBatches");
        this.parkedRecords = sluice.counter("parkedRecords");
        this.strandedUploads = sluice.counter("strandedUploads");
        this.discardedBatches = sluice.counter("discardedBatches");
        this.discardedRecords = sluice.counter("discardedRecords");
        this.discardLog = new LogLimiter(DISCARD_LOG_INTERVAL_MILLIS, clock);
        sluice.gauge("unhealthyDestinations", health::unhealthy);
    }

    /** Whether there is a park destination; without one nothing is parked. */
    public boolean enabled() {
        return park != null;
    }

    /**
     * Whether a failing destination's batches are discarded (no park store, on purpose); if neither
     * this nor {@link #enabled}, a failure is the caller's to throw (embedded pipelines).
     */
    public boolean discards() {
        return discards;
    }

    /** The park destination's {@code destination_conf}; empty (or none) when there is none. */
    public String conf() {
        return enabled() ? conf : "";
    }

    public Optional<Destination> destination() {
        return Optional.ofNullable(park);
    }

    /**
     * Whether a batch for {@code destination} is parked (or, without a park store, discarded)
     * without trying it: its cooldown.
     */
    public boolean skips(String destination) {
        return (enabled() || discards) && health.skip(destination, clock.getAsLong());
    }

    /** {@code destination} failed a batch that is parked next: it starts a cooldown. */
    public void failed(long jobId, String destination, long seq, IOException failure) {
        health.failed(destination, clock.getAsLong());
        lastFailure.put(destination, String.valueOf(failure.getMessage()));
        if (!enabled()) {
            return; // the discard is logged, rate-limited
        }
        LOG.warn(
                "Job {}: {} failed; parking batch {} in {}: {}",
                jobId,
                Destination.redact(destination),
                seq,
                Destination.redact(conf),
                failure.getMessage());
    }

    /** {@code destination} took a batch: it is healthy again. */
    public void delivered(String destination) {
        health.succeeded(destination);
        lastFailure.remove(destination);
    }

    /** Why a batch for {@code destination} is parked untried: its cooldown, and what started it. */
    public String skippedReason(String destination) {
        String last = lastFailure.get(destination);
        return last == null ? SKIPPED : SKIPPED + "; last failure: " + last;
    }

    /** The key a batch whose own key is {@code key} is parked under. */
    public String parkedKey(String key) {
        return Parking.parkedKey(park, key);
    }

    /**
     * Starts staging a batch in the park store under its parked key, with its own metadata plus
     * where it was going ({@code destination}) and why not.
     */
    public StagedObject begin(
            String key,
            String contentType,
            Map<String, String> metadata,
            String destination,
            String reason)
            throws IOException {
        return stores.forDestination(park)
                .begin(
                        park,
                        parkedKey(key),
                        contentType,
                        Parking.metadata(metadata, destination, reason));
    }

    /** Writes a whole object to the park store; returns the manifest of what was written where. */
    public BatchManifest put(ObjectCommittable whole, String reason) throws IOException {
        String key = parkedKey(whole.key());
        stores.forDestination(park)
                .put(
                        park,
                        key,
                        whole.body(),
                        whole.contentType(),
                        Parking.metadata(
                                whole.manifest().objectMetadata(), whole.destination(), reason));
        return whole.manifest().withKey(key);
    }

    /**
     * Parks a staged object that its destination would not complete by reference: the record of how
     * to complete it ({@link StrandedUpload}) goes to the park store; its bytes stay staged.
     */
    public void strand(ObjectCommittable staged, String reason) throws IOException {
        StrandedUpload record = StrandedUpload.of(staged, Parking.shortReason(reason));
        // With a parked batch's metadata, so listings and checks read both alike.
        stores.forDestination(park)
                .put(
                        park,
                        Parking.strandedKey(park, staged.key()),
                        record.toJson(),
                        JSON,
                        Parking.metadata(
                                staged.manifest().objectMetadata(), staged.destination(), reason));
        LOG.error(
                "Job {}: {} would not complete {}; parked by reference in {} for bin/sluice"
                        + " redrive (its staged bytes stay in the destination): {}",
                staged.manifest().jobId(),
                Destination.redact(staged.destination()),
                staged.key(),
                Destination.redact(conf),
                reason);
    }

    /** Counts a stranded upload (also a parked batch); on the task thread only. */
    public void countedStranded(long records) {
        strandedUploads.inc();
        counted(records);
    }

    /**
     * Without a park store: a batch of {@code records} records for {@code destination} is dropped.
     * Logged at most once per interval; any thread.
     */
    public void discarding(long jobId, String destination, String key, String reason) {
        synchronized (discardLog) {
            if (discardLog.allow()) {
                LOG.error(
                        "Job {}: {} failed and there is no park destination (the opt-out): batch"
                                + " {} is DISCARDED ({} more discarded since the last line): {}",
                        jobId,
                        Destination.redact(destination),
                        key,
                        discardLog.takeHeld(),
                        reason);
            }
        }
    }

    /** Counts a discarded batch of {@code records} records; on the task thread only. */
    public void countedDiscarded(long records) {
        discardedBatches.inc();
        discardedRecords.inc(records);
    }

    /** Counts a parked batch of {@code records} records; on the task thread only. */
    public void counted(long records) {
        parkedBatches.inc();
        parkedRecords.inc(records);
    }
}
