package dev.sluice.config;

import java.nio.charset.StandardCharsets;

/**
 * A merged config in every form an operator needs it, built once and shared by the subtasks of this
 * JVM that hold it ({@link SharedConfigs}). Every part is immutable.
 *
 * @param sha256 of {@code stored}: what a review of an update to this state is keyed by, so
 *     subtasks that built equal states apart (one lagged behind the others) meet again at the next
 *     update
 * @param merged the config state
 * @param active {@code merged}'s jobs, indexed for lookups
 * @param stored {@code merged} as broadcast state stores it ({@link ConfigStateCodec}): one string
 *     for every subtask's state, not one each
 */
record ConfigState(String sha256, VersionedConfig merged, ActiveConfig active, String stored) {

    static ConfigState of(VersionedConfig merged) {
        String stored = ConfigStateCodec.write(merged);
        return new ConfigState(
                StartConfigReader.sha256(stored.getBytes(StandardCharsets.US_ASCII)),
                merged,
                ActiveConfig.of(merged.snapshot()),
                stored);
    }
}
