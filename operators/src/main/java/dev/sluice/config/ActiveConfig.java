package dev.sluice.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A validated snapshot in force, indexed for per-record lookups that never parse. */
public final class ActiveConfig {

    private final ConfigSnapshot snapshot;
    private final Map<Long, DeliveryJob> jobsById;
    private final Map<Long, Destination> destinations;

    private ActiveConfig(ConfigSnapshot snapshot) {
        this.snapshot = snapshot;
        Map<Long, DeliveryJob> byId = new LinkedHashMap<>();
        Map<Long, Destination> dest = new LinkedHashMap<>();
        for (DeliveryJob job : snapshot.jobs()) {
            byId.put(job.id(), job);
            dest.put(job.id(), Destination.parse(job.destinationConf()));
        }
        this.jobsById = Collections.unmodifiableMap(byId);
        this.destinations = Collections.unmodifiableMap(dest);
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

    public Destination destination(long jobId) {
        return destinations.get(jobId);
    }
}
