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
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConfigSnapshot(
        @JsonProperty("version") long version, @JsonProperty("jobs") List<DeliveryJob> jobs) {

    @JsonCreator
    public static ConfigSnapshot fromJson(
            @JsonProperty("version") Long version, @JsonProperty("jobs") List<DeliveryJob> jobs) {
        return new ConfigSnapshot(
                version == null ? -1L : version, jobs == null ? List.of() : List.copyOf(jobs));
    }
}
