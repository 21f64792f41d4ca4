package dev.sluice.config;

import java.io.Serializable;

/**
 * The mass-change seatbelt, on by default: how large a change the job takes without {@code "force":
 * true}.
 *
 * @param maxDisableFraction of the enabled jobs, how many one update may disable or remove
 * @param maxEnableFactor how many jobs one update may newly enable, as a multiple of the enabled
 * @param rejectInlineCredentials whether an update that adds or changes a job with credentials
 *     written in its {@code destination_conf} is refused ({@code sluice.config.inline-credentials:
 *     reject}): it should name a credential the TaskManagers hold ({@code credentials=NAME})
 */
public record GuardSettings(
        double maxDisableFraction, double maxEnableFactor, boolean rejectInlineCredentials)
        implements Serializable {

    /** Inline credentials allowed. */
    public GuardSettings(double maxDisableFraction, double maxEnableFactor) {
        this(maxDisableFraction, maxEnableFactor, false);
    }

    public GuardSettings withInlineCredentialsRejected(boolean reject) {
        return new GuardSettings(maxDisableFraction, maxEnableFactor, reject);
    }

    public static final double DEFAULT_MAX_DISABLE_FRACTION = 0.1;
    public static final double DEFAULT_MAX_ENABLE_FACTOR = 2.0;

    public static GuardSettings defaults() {
        return new GuardSettings(DEFAULT_MAX_DISABLE_FRACTION, DEFAULT_MAX_ENABLE_FACTOR);
    }
}
