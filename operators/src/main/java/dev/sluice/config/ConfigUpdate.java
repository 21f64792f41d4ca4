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

    /**
     * The config topic's key for this update (README, "The topic's contract"): {@code snapshot} for
     * a snapshot, {@code job/<id>} for a job's upsert or delete, so that compaction keeps the
     * latest snapshot and the latest change of each job.
     */
    String topicKey();

    /** {@code {"version": N, "jobs": [...], "force": false}}: every job not listed is removed. */
    record Snapshot(long version, List<DeliveryJob> jobs, boolean force) implements ConfigUpdate {
        @Override
        public String topicKey() {
            return "snapshot";
        }
    }

    /** {@code {"version": N, "upsert": {job}}}: adds or replaces one job. */
    record Upsert(long version, DeliveryJob job) implements ConfigUpdate {
        @Override
        public boolean force() {
            return false;
        }

        @Override
        public String topicKey() {
            return "job/" + job.id();
        }
    }

    /** {@code {"version": N, "delete": ID}}: a versioned tombstone for one job. */
    record Delete(long version, long jobId) implements ConfigUpdate {
        @Override
        public boolean force() {
            return false;
        }

        @Override
        public String topicKey() {
            return "job/" + jobId;
        }
    }
}
