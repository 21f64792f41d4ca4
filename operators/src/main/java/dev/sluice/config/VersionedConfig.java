package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merged result of every accepted config update, independent of the order they arrived in.
 *
 * <p>Each job keeps the entry of the highest version that named it (an upsert, a snapshot that
 * listed it, or a delete's tombstone). A snapshot also raises the {@code floor}: a job whose entry
 * is older than the newest snapshot was not in that snapshot, so it is gone. Both are maxima, so
 * applying the same set of updates in any order gives the same state.
 *
 * <p>Its plain JSON ({@link #toJson}) is shaped like a snapshot ({@code version}, {@code jobs}: the
 * live jobs) plus the bookkeeping, so readers of plain snapshots can read it too; earlier builds
 * stored it in broadcast state as it is. Broadcast state now holds it compressed, without the
 * {@code jobs} list ({@link ConfigStateCodec}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionedConfig(
        @JsonProperty("version") long version,
        @JsonProperty("floor") long floor,
        @JsonProperty("entries") List<Entry> entries) {

    /**
     * Reads and writes stored configs (here and in {@link ConfigStateCodec}). Lenient: state
     * written by another build restores even if a field came or went since.
     */
    static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The version at which a job was last named; {@code job} is null for a tombstone. */
    public record Entry(
            @JsonProperty("id") long id,
            @JsonProperty("version") long version,
            @JsonProperty("job") DeliveryJob job) {

        /** Higher version wins; at equal versions a tombstone wins, then the larger JSON. */
        static final Comparator<Entry> PRECEDENCE =
                Comparator.comparingLong(Entry::version)
                        .thenComparing(e -> e.job() == null)
                        .thenComparing(e -> e.job() == null ? "" : ConfigParser.jobJson(e.job()));
    }

    @JsonCreator
    public static VersionedConfig fromJson(
            @JsonProperty("version") long version,
            @JsonProperty("floor") Long floor,
            @JsonProperty("entries") List<Entry> entries,
            @JsonProperty("jobs") List<DeliveryJob> jobs) {
        if (entries != null) {
            return new VersionedConfig(
                    version, floor == null ? version : floor, List.copyOf(entries));
        }
        // A plain snapshot: every job at the snapshot's version.
        return of(new ConfigUpdate.Snapshot(version, jobs == null ? List.of() : jobs, false));
    }

    /** The state after one snapshot. */
    public static VersionedConfig of(ConfigUpdate.Snapshot snapshot) {
        return new VersionedConfig(-1, -1, List.of()).apply(snapshot);
    }

    /**
     * The state with one more update merged in. A snapshot not newer than the newest snapshot
     * changes nothing: two different snapshots must not share a version.
     */
    public VersionedConfig apply(ConfigUpdate update) {
        if (update instanceof ConfigUpdate.Snapshot && update.version() <= floor) {
            return this;
        }
        Map<Long, Entry> merged = new TreeMap<>();
        entries.forEach(e -> merged.put(e.id(), e));
        long newFloor = floor;
        if (update instanceof ConfigUpdate.Snapshot s) {
            s.jobs().forEach(j -> merge(merged, new Entry(j.id(), s.version(), j)));
            newFloor = Math.max(floor, s.version());
        } else if (update instanceof ConfigUpdate.Upsert u) {
            merge(merged, new Entry(u.job().id(), u.version(), u.job()));
        } else if (update instanceof ConfigUpdate.Delete d) {
            merge(merged, new Entry(d.jobId(), d.version(), null));
        }
        long floorAfter = newFloor;
        // Entries under the floor are dead whatever arrives later: forget them.
        List<Entry> kept = merged.values().stream().filter(e -> e.version() >= floorAfter).toList();
        return new VersionedConfig(Math.max(version, update.version()), floorAfter, kept);
    }

    private static void merge(Map<Long, Entry> merged, Entry candidate) {
        merged.merge(
                candidate.id(),
                candidate,
                (old, neu) -> Entry.PRECEDENCE.compare(neu, old) > 0 ? neu : old);
    }

    /** The jobs in force, by id. */
    public List<DeliveryJob> liveJobs() {
        List<DeliveryJob> live = new ArrayList<>();
        for (Entry e : entries) {
            if (e.job() != null) {
                live.add(e.job());
            }
        }
        return live;
    }

    /** The jobs in force as a snapshot of the newest version seen. */
    public ConfigSnapshot snapshot() {
        return new ConfigSnapshot(version, liveJobs());
    }

    /** The stored form: a snapshot's fields plus the per-job versions. */
    public String toJson() {
        try {
            Map<String, Object> json = new TreeMap<>();
            json.put("version", version);
            json.put("floor", floor);
            json.put("jobs", liveJobs());
            json.put("entries", entries);
            return MAPPER.writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException("config state cannot be written as JSON", e);
        }
    }

    public static VersionedConfig fromStoredJson(String json) throws InvalidConfigException {
        try {
            return MAPPER.readValue(json, VersionedConfig.class);
        } catch (IOException e) {
            throw new InvalidConfigException(
                    List.of("stored config state is unreadable: " + e.getMessage()));
        }
    }
}
