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
        long maxDisable =
                Math.max(
                        1, (long) Math.floor(settings.maxDisableFraction() * diff.enabledBefore()));
        if (diff.noLongerEnabled() > maxDisable) {
            return Optional.of(
                    String.format(
                            "would disable or remove %d of %d enabled jobs; the guard allows %d"
                                + " (config.guard.max-disable-fraction %s); send \"force\": true if"
                                + " intended",
                            diff.noLongerEnabled(),
                            diff.enabledBefore(),
                            maxDisable,
                            settings.maxDisableFraction()));
        }
        long maxEnable =
                Math.max(1, (long) Math.floor(settings.maxEnableFactor() * diff.enabledBefore()));
        if (diff.newlyEnabled() > maxEnable) {
            return Optional.of(
                    String.format(
                            "would enable %d jobs with %d enabled now; the guard allows %d"
                                + " (config.guard.max-enable-factor %s); send \"force\": true if"
                                + " intended",
                            diff.newlyEnabled(),
                            diff.enabledBefore(),
                            maxEnable,
                            settings.maxEnableFactor()));
        }
        return Optional.empty();
    }
}
