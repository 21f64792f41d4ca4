package dev.sluice.sink.park;

import dev.sluice.config.Destination;
import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.Parking;
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
 * costs one timeout, not one per batch. Without a park destination nothing is parked: a failure is
 * the caller's to throw, and the job restarts from its checkpoint with nothing lost.
 */
public final class ParkRoute {

    private static final Logger LOG = LoggerFactory.getLogger(ParkRoute.class);

    /** Why a batch whose destination is in its cooldown is parked without a try. */
    public static final String SKIPPED = "destination unhealthy: skipped during its cooldown";

    private final String conf;

    /** The park destination; null for none. */
    private final Destination park;

    private final DestinationHealth health;
    private final LongSupplier clock;
    private final ObjectStores stores;
    private final Counter parkedBatches;
    private final Counter parkedRecords;

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
        this.park = conf.isEmpty() ? null : Destination.parse(conf);
        this.health = health;
        this.clock = clock;
        this.stores = stores;
        this.parkedBatches = sluice.counter("parkedBatches");
        this.parkedRecords = sluice.counter("parkedRecords");
        sluice.gauge("unhealthyDestinations", health::unhealthy);
    }

    /** Whether there is a park destination; without one nothing is parked. */
    public boolean enabled() {
        return park != null;
    }

    /** The park destination's {@code destination_conf}; empty for none. */
    public String conf() {
        return conf;
    }

    public Optional<Destination> destination() {
        return Optional.ofNullable(park);
    }

    /** Whether a batch for {@code destination} is parked without trying it (its cooldown). */
    public boolean skips(String destination) {
        return enabled() && health.skip(destination, clock.getAsLong());
    }

    /** {@code destination} failed a batch that is parked next: it starts a cooldown. */
    public void failed(long jobId, String destination, long seq, IOException failure) {
        health.failed(destination, clock.getAsLong());
        lastFailure.put(destination, String.valueOf(failure.getMessage()));
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

    /** Counts a parked batch of {@code records} records; on the task thread only. */
    public void counted(long records) {
        parkedBatches.inc();
        parkedRecords.inc(records);
    }
}
