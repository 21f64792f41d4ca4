package dev.sluice.config;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A merged config in every form an operator needs it, built once and shared by the subtasks of this
 * JVM that hold it ({@link SharedConfigs}). Every part is immutable.
 *
 * @param id unique in this JVM: what a review of an update to this state is keyed by
 * @param merged the config state
 * @param active {@code merged}'s jobs, indexed for lookups
 * @param stored {@code merged} as broadcast state stores it ({@link ConfigStateCodec}): one string
 *     for every subtask's state, not one each
 */
record ConfigState(long id, VersionedConfig merged, ActiveConfig active, String stored) {

    private static final AtomicLong IDS = new AtomicLong();

    static ConfigState of(VersionedConfig merged) {
        return new ConfigState(
                IDS.incrementAndGet(),
                merged,
                ActiveConfig.of(merged.snapshot()),
                ConfigStateCodec.write(merged));
    }
}
