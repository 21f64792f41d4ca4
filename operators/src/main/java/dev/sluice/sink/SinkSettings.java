package dev.sluice.sink;

import dev.sluice.config.Destination;

import java.io.Serializable;

/**
 * The object sink's pipeline-wide settings.
 *
 * @param manifestDestination where the committer writes each committed object's manifest; empty for
 *     none
 * @param parkDestination where batches whose destination fails are parked; {@value
 *     #NO_PARK_DESTINATION}: such batches are discarded and counted (the operator's opt-out); empty
 *     (embedded pipelines and tests only: the job refuses to start so): a failing destination fails
 *     the task, which restarts from its checkpoint
 * @param cooldownMillis how long a failed destination is skipped (parked straight away) before it
 *     is tried again; doubles with each failure in a row, up to {@code maxCooldownMillis}
 * @param wholeObjectMaxBytes the largest batch (compressed) that is not staged but carried whole in
 *     its committable and written in one request at the commit; 0 stages every batch
 */
public record SinkSettings(
        String manifestDestination,
        String parkDestination,
        long cooldownMillis,
        long maxCooldownMillis,
        long wholeObjectMaxBytes)
        implements Serializable {

    /** The park destination that declines a park store on purpose: failing batches are dropped. */
    public static final String NO_PARK_DESTINATION = "none";

    public static final long DEFAULT_COOLDOWN_MILLIS = 30_000;
    public static final long DEFAULT_MAX_COOLDOWN_MILLIS = 10 * 60_000;

    /**
     * A chunk holds about 1 MiB of encoded records, so 1 MiB takes every batch of one chunk,
     * however it compresses, and the batches of a few chunks that compress well; it keeps a whole
     * object's request short and a checkpoint's share of them small.
     */
    public static final long DEFAULT_WHOLE_OBJECT_MAX_BYTES = 1024 * 1024;

    /**
     * Bodies of whole objects a writer hands to one checkpoint, at most; past it, batches are
     * staged. Bounds what whole objects add to a checkpoint, and to memory until their commit.
     */
    public static final long MAX_WHOLE_BYTES_PER_CHECKPOINT = 64L * 1024 * 1024;

    public SinkSettings {
        // Bad values fail the job's construction, not its tasks in a restart loop.
        check(manifestDestination, "manifest destination");
        if (!NO_PARK_DESTINATION.equals(parkDestination)) {
            check(parkDestination, "park destination");
        }
        if (cooldownMillis < 0 || maxCooldownMillis < cooldownMillis) {
            throw new IllegalArgumentException(
                    "cooldowns must satisfy 0 <= cooldown <= max cooldown: "
                            + cooldownMillis
                            + ", "
                            + maxCooldownMillis);
        }
        if (wholeObjectMaxBytes < 0 || wholeObjectMaxBytes > MAX_WHOLE_BYTES_PER_CHECKPOINT) {
            throw new IllegalArgumentException(
                    "the whole-object size must be between 0 and "
                            + MAX_WHOLE_BYTES_PER_CHECKPOINT
                            + " bytes: "
                            + wholeObjectMaxBytes);
        }
    }

    /** With the default whole-object size. */
    public SinkSettings(
            String manifestDestination,
            String parkDestination,
            long cooldownMillis,
            long maxCooldownMillis) {
        this(
                manifestDestination,
                parkDestination,
                cooldownMillis,
                maxCooldownMillis,
                DEFAULT_WHOLE_OBJECT_MAX_BYTES);
    }

    public static SinkSettings none() {
        return new SinkSettings("", "", DEFAULT_COOLDOWN_MILLIS, DEFAULT_MAX_COOLDOWN_MILLIS);
    }

    public SinkSettings withManifests(String destination) {
        return new SinkSettings(
                destination,
                parkDestination,
                cooldownMillis,
                maxCooldownMillis,
                wholeObjectMaxBytes);
    }

    public SinkSettings withPark(String destination) {
        return new SinkSettings(
                manifestDestination,
                destination,
                cooldownMillis,
                maxCooldownMillis,
                wholeObjectMaxBytes);
    }

    /** These settings with whole objects up to {@code bytes}; 0 stages every batch. */
    public SinkSettings withWholeObjectMaxBytes(long bytes) {
        return new SinkSettings(
                manifestDestination, parkDestination, cooldownMillis, maxCooldownMillis, bytes);
    }

    private static void check(String conf, String what) {
        if (conf == null) {
            throw new IllegalArgumentException(what + " must not be null (empty: none)");
        }
        if (!conf.isEmpty()) {
            try {
                Destination.parse(conf);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
            }
        }
    }
}
