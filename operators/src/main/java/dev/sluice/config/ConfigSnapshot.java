package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A complete, versioned set of delivery jobs: {@code {"version": N, "jobs": [...]}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class ConfigSnapshot {

    private final long version;
    private final List<DeliveryJob> jobs;

    @JsonCreator
    public ConfigSnapshot(
            @JsonProperty("version") Long version, @JsonProperty("jobs") List<DeliveryJob> jobs) {
        this.version = version == null ? -1L : version;
        this.jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** Monotonic version; a snapshot older than the one in force is ignored. */
    @JsonProperty("version")
    public long version() {
        return version;
    }

    @JsonProperty("jobs")
    public List<DeliveryJob> jobs() {
        return jobs;
    }
}
