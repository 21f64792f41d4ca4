package dev.sluice.config;

import java.io.Serializable;

/**
 * The mass-change seatbelt, on by default: how large a change the job takes without {@code "force":
 * true}.
 *
 * @param maxDisableFraction of the enabled jobs, how many one update may disable or remove
 * @param maxEnableFactor how many jobs one update may newly enable, as a multiple of the enabled
 */
public record GuardSettings(double maxDisableFraction, double maxEnableFactor)
        implements Serializable {

    public static final double DEFAULT_MAX_DISABLE_FRACTION = 0.1;
    public static final double DEFAULT_MAX_ENABLE_FACTOR = 2.0;

    public static GuardSettings defaults() {
        return new GuardSettings(DEFAULT_MAX_DISABLE_FRACTION, DEFAULT_MAX_ENABLE_FACTOR);
    }
}
