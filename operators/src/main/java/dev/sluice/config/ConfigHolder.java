package dev.sluice.config;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

import java.io.Serializable;

/**
 * The configuration an operator works with: the start snapshot merged with every update accepted
 * into broadcast state.
 *
 * <p>The start snapshot travels inside the function, so no record is ever routed before a config is
 * known (records and broadcast updates race at start). Broadcast state stores the merged state as
 * JSON ({@link VersionedConfig}), so a restore never starts blank. Each update passes the validator
 * and the mass-change guard or changes nothing.
 */
public final class ConfigHolder implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Broadcast state: {@link #SNAPSHOT_KEY} → JSON of the merged config state. */
    public static final MapStateDescriptor<String, String> CONFIG_STATE =
            new MapStateDescriptor<>("delivery-config", Types.STRING, Types.STRING);

    public static final String SNAPSHOT_KEY = "snapshot";

    private final String startJson;
    private final GuardSettings guard;
    private transient VersionedConfig merged;
    private transient ActiveConfig active;

    /** Whether broadcast state holds {@link #merged}; false while only the start config does. */
    private transient boolean stored;

    /**
     * @param startJson a snapshot already validated by the job's entry point
     */
    public ConfigHolder(String startJson, GuardSettings guard) {
        this.startJson = startJson;
        this.guard = guard;
    }

    public ConfigHolder(String startJson) {
        this(startJson, GuardSettings.defaults());
    }

    /** The config in force; cheap after the first call. */
    public ActiveConfig current(ReadOnlyBroadcastState<String, String> state) throws Exception {
        if (active == null) {
            merged = merge(startJson, state.get(SNAPSHOT_KEY));
            active = ActiveConfig.of(merged.snapshot());
            stored = startJson == null;
        }
        return active;
    }

    /**
     * Writes the config in force into broadcast state if it is not there yet, once per run. Called
     * before each snapshot: a job started from {@code --config} that never took an update would
     * otherwise leave savepoints without a config, and an upgrade restoring one with no {@code
     * --config} could not start.
     */
    public void store(BroadcastState<String, String> state) throws Exception {
        current(state);
        if (!stored) {
            state.put(SNAPSHOT_KEY, merged.toJson());
            stored = true;
        }
    }

    /**
     * The start config merged into the stored one; the start config passes no guard: it was
     * deployed.
     */
    private static VersionedConfig merge(String startJson, String stored) throws Exception {
        if (startJson == null && stored == null) {
            // Fail closed: a job must never run, even briefly, without a configuration.
            throw new IllegalStateException(
                    "no delivery config: the job has no start config and its restored state holds"
                            + " none; give --config, or start it from a savepoint made by"
                            + " 'bin/sluice savepoint bootstrap'");
        }
        if (startJson == null) {
            return VersionedConfig.fromStoredJson(stored);
        }
        ConfigUpdate.Snapshot start = (ConfigUpdate.Snapshot) ConfigUpdates.parse(startJson);
        return stored == null
                ? VersionedConfig.of(start)
                : VersionedConfig.fromStoredJson(stored).apply(start);
    }

    /**
     * Offers an update. It takes effect only when valid, newer for at least one job, and within the
     * guard; otherwise the last-known-good stays and the verdict says why.
     */
    public ConfigVerdict offer(String json, BroadcastState<String, String> state) throws Exception {
        current(state);
        ConfigReview review = ConfigReview.of(merged, json, guard);
        if (review.kind() != ConfigVerdict.Kind.ACCEPTED) {
            return new ConfigVerdict(review.kind(), review.reason(), review.diff(), null);
        }
        state.put(SNAPSHOT_KEY, review.candidate().toJson());
        stored = true;
        ActiveConfig previous = active;
        merged = review.candidate();
        active = ActiveConfig.of(merged.snapshot());
        return new ConfigVerdict(review.kind(), review.reason(), review.diff(), previous);
    }
}
