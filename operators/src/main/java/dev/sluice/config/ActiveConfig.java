package dev.sluice.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A validated snapshot in force, indexed for per-record lookups that never parse. */
public final class ActiveConfig {

    private final ConfigSnapshot snapshot;

    /** Never written after construction, so subtasks sharing this instance may read it at once. */
    private final Map<Long, DeliveryJob> jobsById;

    private ActiveConfig(ConfigSnapshot snapshot) {
        this.snapshot = snapshot;
        this.jobsById = new HashMap<>(snapshot.jobs().size() * 4 / 3 + 1);
        for (DeliveryJob job : snapshot.jobs()) {
            jobsById.put(job.id(), job);
        }
    }

    /** Parses, validates and indexes a snapshot. */
    public static ActiveConfig parse(String json) throws InvalidConfigException {
        return new ActiveConfig(ConfigParser.parse(json));
    }

    /** Indexes a snapshot that is already valid. */
    public static ActiveConfig of(ConfigSnapshot snapshot) {
        return new ActiveConfig(snapshot);
    }

    public long version() {
        return snapshot.version();
    }

    public ConfigSnapshot snapshot() {
        return snapshot;
    }

    public Optional<DeliveryJob> job(long id) {
        return Optional.ofNullable(jobsById.get(id));
    }
}
