package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A complete, versioned set of delivery jobs: {@code {"version": N, "jobs": [...]}}.
 *
 * @param version monotonic; a snapshot not newer than the one in force is ignored (-1: absent)
 */
// Known, not the snapshot's: "force" marks an update past the guard (ConfigUpdates reads it);
// "floor" and "entries" are the bookkeeping of a stored config (VersionedConfig), which is
// shaped like a snapshot so that snapshot readers read it too.
@JsonIgnoreProperties({"force", "floor", "entries"})
public record ConfigSnapshot(
        @JsonProperty("version") long version, @JsonProperty("jobs") List<DeliveryJob> jobs) {

    @JsonCreator
    public static ConfigSnapshot fromJson(
            @JsonProperty("version") Long version, @JsonProperty("jobs") List<DeliveryJob> jobs) {
        return new ConfigSnapshot(
                version == null ? -1L : version, jobs == null ? List.of() : List.copyOf(jobs));
    }
}
