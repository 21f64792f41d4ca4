package dev.sluice.config;

import java.util.Optional;

/**
 * Decides whether a change may take effect. A change that leaves no enabled job, or disables or
 * enables too many jobs at once, is refused unless forced; one job may always change, so small
 * deployments and single-job deltas are never stuck behind a percentage.
 */
public final class ConfigGuard {

    private ConfigGuard() {}

    /** Why the change is refused, or empty when it may take effect. */
    public static Optional<String> check(ConfigDiff diff, GuardSettings settings, boolean force) {
        if (force) {
            return Optional.empty();
        }
        if (diff.enabledAfter() == 0) {
            return Optional.of(
                    "would leave no enabled job (" + diff.enabledBefore() + " enabled now)");
        }
        return overLimit(
                        diff.noLongerEnabled(),
                        settings.maxDisableFraction(),
                        diff,
                        "would disable or remove %d of %d enabled jobs",
                        "config.guard.max-disable-fraction")
                .or(
                        () ->
                                overLimit(
                                        diff.newlyEnabled(),
                                        settings.maxEnableFactor(),
                                        diff,
                                        "would enable %d jobs with %d enabled now",
                                        "config.guard.max-enable-factor"));
    }

    /**
     * Refuses {@code changed} jobs when they are more than {@code share} of the jobs enabled now,
     * counted down but never below one job; {@code change} formats the count and the jobs enabled.
     */
    private static Optional<String> overLimit(
            int changed, double share, ConfigDiff diff, String change, String setting) {
        long allowed = Math.max(1, (long) Math.floor(share * diff.enabledBefore()));
        if (changed <= allowed) {
            return Optional.empty();
        }
        return Optional.of(
                change.formatted(changed, diff.enabledBefore())
                        + "; the guard allows "
                        + allowed
                        + " ("
                        + setting
                        + " "
                        + share
                        + "); send \"force\": true if intended");
    }
}
