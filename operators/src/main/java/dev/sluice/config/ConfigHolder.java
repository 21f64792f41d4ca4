package dev.sluice.config;

import org.apache.flink.api.common.cache.DistributedCache;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeutils.base.StringSerializer;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * The configuration an operator works with: the start config merged with every update accepted into
 * broadcast state.
 *
 * <p>The start config is known when the operator opens, so no record is ever routed before a config
 * is known (records and broadcast updates race at start). The holder carries only which start
 * config that is ({@link StartConfig}: a distributed-cache entry and its hash); {@link #open} reads
 * it. Broadcast state stores the merged state ({@link VersionedConfig}, compressed by {@link
 * ConfigStateCodec}), so a restore never starts blank. Each update passes the validator and the
 * mass-change guard or changes nothing.
 *
 * <p>Every config this holder works with, from the start config, a restored state or an update, is
 * one {@link ConfigState} that the subtasks of this JVM holding the same config share ({@link
 * SharedConfigs}): a TaskManager keeps one copy of a million jobs, not one per subtask.
 */
public final class ConfigHolder implements Serializable {

    /** 3: the start config is referred to, not carried (2 carried its JSON). */
    private static final long serialVersionUID = 3L;

    /**
     * Broadcast state: {@link #SNAPSHOT_KEY} → the merged config state ({@link ConfigStateCodec}),
     * written by {@link StoredConfigSerializer} (by Flink's string serializer before; those
     * savepoints restore).
     */
    public static final MapStateDescriptor<String, String> CONFIG_STATE =
            new MapStateDescriptor<>(
                    "delivery-config", StringSerializer.INSTANCE, StoredConfigSerializer.INSTANCE);

    public static final String SNAPSHOT_KEY = "snapshot";

    private final StartConfig start;
    private final GuardSettings guard;
    private transient boolean opened;
    private transient SharedConfigs.Lease<ParsedStartConfig> startLease;

    /** The lease on {@link #state} when it is not the start config's. */
    private transient SharedConfigs.Lease<?> stateLease;

    private transient ConfigState state;

    /** Whether broadcast state holds {@link #state}'s own stored string. */
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
                    SharedConfigs.STARTS.acquire(
                            start.sha256(), () -> StartConfigReader.read(start, files));
        }
        opened = true;
    }

    /**
     * Lets this JVM forget the configs this holder used once no other holder uses them. Call when
     * the operator closes; the config in force stays usable until then.
     */
    public void close() {
        if (stateLease != null) {
            stateLease.release();
        }
        if (startLease != null) {
            startLease.release();
        }
    }

    /** The config in force; cheap after the first call. */
    public ActiveConfig current(ReadOnlyBroadcastState<String, String> broadcast) throws Exception {
        if (state == null) {
            if (!opened) {
                throw new IllegalStateException("the config holder is used before open()");
            }
            String restored = broadcast.get(SNAPSHOT_KEY);
            ParsedStartConfig startConfig = startLease == null ? null : startLease.value();
            if (startConfig != null && restored == null) {
                // The common start: every subtask in this JVM works with the same parsed config.
                state = startConfig.state();
            } else {
                SharedConfigs.Lease<ConfigState> lease =
                        SharedConfigs.RESTORED.acquire(
                                (start == null ? "none" : start.sha256()) + " " + sha256(restored),
                                () -> ConfigState.of(merge(startConfig, restored)));
                stateLease = lease;
                state = lease.value();
            }
            // Each subtask restored a String of its own: the next snapshot stores the shared one.
            stored = false;
        }
        return state.active();
    }

    /**
     * Writes the config in force into broadcast state if it is not there yet, once per run. Called
     * before each snapshot: a job started from {@code --config} that never took an update would
     * otherwise leave savepoints without a config, and an upgrade restoring one with no {@code
     * --config} could not start.
     */
    public void store(BroadcastState<String, String> broadcast) throws Exception {
        current(broadcast);
        if (!stored) {
            broadcast.put(SNAPSHOT_KEY, state.stored());
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
            return ConfigStateCodec.read(stored);
        }
        return ConfigStateCodec.read(stored).apply(start.update());
    }

    /**
     * Offers an update. It takes effect only when valid, newer for at least one job, and within the
     * guard; otherwise the last-known-good stays and the verdict says why.
     */
    public ConfigVerdict offer(String json, BroadcastState<String, String> broadcast)
            throws Exception {
        current(broadcast);
        ConfigState reviewed = state;
        SharedConfigs.Lease<ReviewedUpdate> lease =
                SharedConfigs.UPDATED.acquire(
                        // The guard is in the key: jobs in one JVM may share a state, not a guard.
                        reviewed.sha256() + " " + guard + " " + sha256(json),
                        () -> ReviewedUpdate.of(ConfigReview.of(reviewed.merged(), json, guard)));
        ConfigReview review = lease.value().review();
        if (review.kind() != ConfigVerdict.Kind.ACCEPTED) {
            lease.release();
            return new ConfigVerdict(review.kind(), review.reason(), review.diff(), null);
        }
        state = lease.value().next();
        broadcast.put(SNAPSHOT_KEY, state.stored());
        stored = true;
        if (stateLease != null) {
            stateLease.release();
        }
        stateLease = lease;
        return new ConfigVerdict(review.kind(), review.reason(), review.diff(), reviewed.active());
    }

    private static String sha256(String text) {
        return text == null
                ? "none"
                : StartConfigReader.sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
