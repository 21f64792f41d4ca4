package dev.sluice.config;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

import java.io.Serializable;

/**
 * The configuration an operator works with: the newest of the snapshot the job was started with
 * and the last snapshot accepted into broadcast state.
 *
 * <p>The start snapshot travels inside the function, so no record is ever routed before a config
 * is known (records and broadcast updates race at start). Broadcast state stores the JSON of each
 * accepted update, so a restore never starts blank and the stored form evolves with the JSON.
 */
public final class ConfigHolder implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Broadcast state: {@link #SNAPSHOT_KEY} → JSON of the last accepted snapshot. */
    public static final MapStateDescriptor<String, String> CONFIG_STATE =
            new MapStateDescriptor<>("delivery-config", Types.STRING, Types.STRING);

    public static final String SNAPSHOT_KEY = "snapshot";

    private final String startJson;
    private transient ActiveConfig active;

    /** @param startJson a snapshot already validated by the job's entry point */
    public ConfigHolder(String startJson) {
        this.startJson = startJson;
    }

    /** The config in force; cheap after the first call. */
    public ActiveConfig current(ReadOnlyBroadcastState<String, String> state) throws Exception {
        if (active == null) {
            active = ActiveConfig.parse(startJson);
            String stored = state.get(SNAPSHOT_KEY);
            if (stored != null) {
                ActiveConfig restored = ActiveConfig.parse(stored);
                if (restored.version() > active.version()) {
                    active = restored;
                }
            }
        }
        return active;
    }

    /**
     * Offers an update. It takes effect only when valid and newer than the config in force;
     * otherwise the last-known-good stays and the verdict says why.
     */
    public ConfigVerdict offer(String json, BroadcastState<String, String> state) throws Exception {
        ActiveConfig current = current(state);
        ActiveConfig next;
        try {
            next = ActiveConfig.parse(json);
        } catch (InvalidConfigException e) {
            return ConfigVerdict.rejected(e.getMessage());
        }
        if (next.version() <= current.version()) {
            return ConfigVerdict.stale(next.version(), current.version());
        }
        state.put(SNAPSHOT_KEY, json);
        active = next;
        return ConfigVerdict.accepted(next.version());
    }
}
