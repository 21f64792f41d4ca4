package dev.sluice.config;

import java.util.Optional;

/**
 * Decides what an update would do to the config in force, without changing anything: the one
 * decision used by the operators and by {@code bin/sluice config diff}.
 *
 * @param candidate the config that would be in force if {@code kind} is ACCEPTED
 */
public record ConfigReview(
        ConfigVerdict.Kind kind, String reason, ConfigDiff diff, VersionedConfig candidate) {

    public static ConfigReview of(VersionedConfig current, String updateJson, GuardSettings guard) {
        ConfigUpdate update;
        try {
            update = ConfigUpdates.parse(updateJson);
        } catch (InvalidConfigException e) {
            return refused(e.getMessage(), null);
        }
        VersionedConfig candidate = current.apply(update);
        if (candidate.equals(current)) {
            return new ConfigReview(
                    ConfigVerdict.Kind.STALE,
                    "version "
                            + update.version()
                            + " changes nothing (newest seen: "
                            + current.version()
                            + ")",
                    null,
                    current);
        }
        if (candidate.liveJobs().isEmpty()) {
            return refused("version " + update.version() + " would leave no job at all", null);
        }
        ConfigDiff diff = ConfigDiff.between(current.liveJobs(), candidate.liveJobs());
        Optional<String> refusal = ConfigGuard.check(diff, guard, update.force());
        if (refusal.isEmpty() && guard.rejectInlineCredentials()) {
            refusal = InlineCredentials.refusal(candidate.liveJobs(), diff);
        }
        if (refusal.isPresent()) {
            return refused("version " + update.version() + " " + refusal.get(), diff);
        }
        return new ConfigReview(
                ConfigVerdict.Kind.ACCEPTED,
                "version " + candidate.version() + " in force",
                diff,
                candidate);
    }

    private static ConfigReview refused(String reason, ConfigDiff diff) {
        return new ConfigReview(ConfigVerdict.Kind.REJECTED, reason, diff, null);
    }
}
