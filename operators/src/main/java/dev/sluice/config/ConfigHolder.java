package dev.sluice.config;

import org.apache.flink.api.common.cache.DistributedCache;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

import java.io.Serializable;

/**
 * The configuration an operator works with: the start config merged with every update accepted into
 * broadcast state.
 *
 * <p>The start config is known when the operator opens, so no record is ever routed before a config
 * is known (records and broadcast updates race at start). The holder carries only which start
 * config that is ({@link StartConfig}: a distributed-cache entry and its hash); {@link #open} reads
 * it, or takes the copy this JVM already parsed ({@link SharedStartConfigs}). Broadcast state
 * stores the merged state as JSON ({@link VersionedConfig}), so a restore never starts blank. Each
 * update passes the validator and the mass-change guard or changes nothing.
 */
public final class ConfigHolder implements Serializable {

    /** 3: the start config is referred to, not carried (2 carried its JSON). */
    private static final long serialVersionUID = 3L;

    /** Broadcast state: {@link #SNAPSHOT_KEY} → JSON of the merged config state. */
    public static final MapStateDescriptor<String, String> CONFIG_STATE =
            new MapStateDescriptor<>("delivery-config", Types.STRING, Types.STRING);

    public static final String SNAPSHOT_KEY = "snapshot";

    private final StartConfig start;
    private final GuardSettings guard;
    private transient boolean opened;
    private transient SharedStartConfigs.Lease startLease;
    private transient VersionedConfig merged;
    private transient ActiveConfig active;

    /** Whether broadcast state holds {@link #merged}; false while only the start config does. */
    private transient boolean stored;

    /**
     * @param start a start config already validated by the job's entry point, or null when the job
     *     is restored from state that holds its config
     */
    public ConfigHolder(StartConfig start, GuardSettings guard) {
        this.start = start;
        this.guard = guard;
    }

    public ConfigHolder(StartConfig start) {
        this(start, GuardSettings.defaults());
    }

    /**
     * Reads the start config, from {@code files} (the task's distributed cache) or this JVM's
     * parsed copy of it. Call when the operator opens, before {@link #current}; fails when the file
     * is missing or is not the one submitted. Once per holder; again does nothing.
     */
    public void open(DistributedCache files) throws Exception {
        if (opened) {
            return;
        }
        if (start != null) {
            startLease =
                    SharedStartConfigs.acquire(
                            start.sha256(), () -> StartConfigReader.read(start, files));
        }
        opened = true;
    }

    /**
     * Lets this JVM forget the parsed start config once no other holder uses it. Call when the
     * operator closes; the config in force stays usable until then.
     */
    public void close() {
        if (startLease != null) {
            startLease.release();
        }
    }

    /** The config in force; cheap after the first call. */
    public ActiveConfig current(ReadOnlyBroadcastState<String, String> state) throws Exception {
        if (active == null) {
            if (!opened) {
                throw new IllegalStateException("the config holder is used before open()");
            }
            String storedJson = state.get(SNAPSHOT_KEY);
            ParsedStartConfig startConfig = startLease == null ? null : startLease.config();
            if (startConfig != null && storedJson == null) {
                // The common start: every subtask in this JVM works with the same parsed config.
                merged = startConfig.merged();
                active = startConfig.active();
            } else {
                merged = merge(startConfig, storedJson);
                active = ActiveConfig.of(merged.snapshot());
            }
            stored = start == null;
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
            ParsedStartConfig start = startLease == null ? null : startLease.config();
            // Untouched since the start, the config in force is the shared one: so is its JSON.
            state.put(
                    SNAPSHOT_KEY,
                    start != null && merged == start.merged()
                            ? start.storedJson()
                            : merged.toJson());
            stored = true;
        }
    }

    /**
     * The start config merged into the stored one; the start config passes no guard: it was
     * deployed.
     */
    private static VersionedConfig merge(ParsedStartConfig start, String stored) throws Exception {
        if (start == null && stored == null) {
            // Fail closed: a job must never run, even briefly, without a configuration.
            throw new IllegalStateException(
                    "no delivery config: the job has no start config and its restored state holds"
                            + " none; give --config, or start it from a savepoint made by"
                            + " 'bin/sluice savepoint bootstrap'");
        }
        if (start == null) {
            return VersionedConfig.fromStoredJson(stored);
        }
        return VersionedConfig.fromStoredJson(stored).apply(start.update());
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
