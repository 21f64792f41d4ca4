package dev.sluice.savepoints;

import dev.sluice.config.ConfigHolder;

import org.apache.flink.state.api.functions.BroadcastStateBootstrapFunction;

/**
 * Puts the stored form of a config ({@link dev.sluice.config.ConfigStateCodec#write}) into the
 * broadcast state where {@link ConfigHolder} keeps it, under {@link ConfigHolder#SNAPSHOT_KEY}.
 */
final class ConfigStateBootstrapFunction extends BroadcastStateBootstrapFunction<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String stored, Context ctx) throws Exception {
        ctx.getBroadcastState(ConfigHolder.CONFIG_STATE).put(ConfigHolder.SNAPSHOT_KEY, stored);
    }
}
