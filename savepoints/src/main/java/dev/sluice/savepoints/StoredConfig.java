package dev.sluice.savepoints;

import dev.sluice.config.ConfigStateCodec;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.VersionedConfig;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The config in the buffer operator's broadcast state, if any: the start config merged with the
 * updates accepted while the job ran, stored before the job's first checkpoint.
 *
 * @param stored whether an accepted update is stored
 * @param version the stored snapshot's version (when stored and valid)
 * @param jobs the stored snapshot's number of delivery jobs (when stored and valid)
 * @param problem why the stored JSON does not parse, or {@code null}
 */
public record StoredConfig(boolean stored, long version, int jobs, String problem) {

    /** What the report says when broadcast state is empty. */
    public static final String NONE_STORED = "none stored: the job runs on its start config";

    /** No update was accepted before the savepoint. */
    public static StoredConfig none() {
        return new StoredConfig(false, 0, 0, null);
    }

    /**
     * The newest of the snapshot JSONs read from the subtasks' copies of broadcast state (every
     * subtask writes its own copy; they are equal unless something went wrong).
     */
    static StoredConfig newestOf(Collection<String> snapshots) {
        StoredConfig newest = none();
        for (String json : new LinkedHashSet<>(snapshots)) {
            StoredConfig config = parse(json);
            if (!newest.stored() || config.version() > newest.version()) {
                newest = config;
            }
        }
        return newest;
    }

    /** Whether the subtasks' copies differ, which a broadcast should never allow. */
    static boolean disagree(Collection<String> snapshots) {
        Set<String> distinct = new LinkedHashSet<>(snapshots);
        return distinct.size() > 1;
    }

    private static StoredConfig parse(String json) {
        try {
            VersionedConfig config = ConfigStateCodec.read(json);
            return new StoredConfig(true, config.version(), config.liveJobs().size(), null);
        } catch (InvalidConfigException | RuntimeException e) {
            // A stored snapshot was valid when accepted; a newer validator may disagree. Report it.
            return new StoredConfig(true, -1, 0, String.valueOf(e.getMessage()));
        }
    }
}
