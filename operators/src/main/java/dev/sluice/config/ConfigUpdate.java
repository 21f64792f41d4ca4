package dev.sluice.config;

import java.util.List;

/**
 * One config change as it arrives on the config topic: a full snapshot, or a versioned upsert or
 * delete of one job. Every update carries a version; per job, the highest version wins.
 */
public sealed interface ConfigUpdate {

    long version();

    /** Whether the update asks to pass the mass-change guard deliberately. */
    boolean force();

    /** {@code {"version": N, "jobs": [...], "force": false}}: every job not listed is removed. */
    record Snapshot(long version, List<DeliveryJob> jobs, boolean force) implements ConfigUpdate {}

    /** {@code {"version": N, "upsert": {job}}}: adds or replaces one job. */
    record Upsert(long version, DeliveryJob job) implements ConfigUpdate {
        @Override
        public boolean force() {
            return false;
        }
    }

    /** {@code {"version": N, "delete": ID}}: a versioned tombstone for one job. */
    record Delete(long version, long jobId) implements ConfigUpdate {
        @Override
        public boolean force() {
            return false;
        }
    }
}
