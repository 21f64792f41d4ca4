package dev.sluice.sink;

import dev.sluice.config.Destination;

import java.io.Serializable;

/**
 * The object sink's pipeline-wide settings.
 *
 * @param manifestDestination where the committer writes each committed object's manifest; empty for
 *     none
 * @param parkDestination where batches whose destination fails are parked; empty: a failing
 *     destination fails the job, which restarts from its checkpoint
 * @param cooldownMillis how long a failed destination is skipped (parked straight away) before it
 *     is tried again; doubles with each failure in a row, up to {@code maxCooldownMillis}
 */
public record SinkSettings(
        String manifestDestination,
        String parkDestination,
        long cooldownMillis,
        long maxCooldownMillis)
        implements Serializable {

    public static final long DEFAULT_COOLDOWN_MILLIS = 30_000;
    public static final long DEFAULT_MAX_COOLDOWN_MILLIS = 10 * 60_000;

    public SinkSettings {
        // Bad values fail the job's construction, not its tasks in a restart loop.
        check(manifestDestination, "manifest destination");
        check(parkDestination, "park destination");
        if (cooldownMillis < 0 || maxCooldownMillis < cooldownMillis) {
            throw new IllegalArgumentException(
                    "cooldowns must satisfy 0 <= cooldown <= max cooldown: "
                            + cooldownMillis
                            + ", "
                            + maxCooldownMillis);
        }
    }

    public static SinkSettings none() {
        return new SinkSettings("", "", DEFAULT_COOLDOWN_MILLIS, DEFAULT_MAX_COOLDOWN_MILLIS);
    }

    public SinkSettings withManifests(String destination) {
        return new SinkSettings(destination, parkDestination, cooldownMillis, maxCooldownMillis);
    }

    public SinkSettings withPark(String destination) {
        return new SinkSettings(
                manifestDestination, destination, cooldownMillis, maxCooldownMillis);
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
