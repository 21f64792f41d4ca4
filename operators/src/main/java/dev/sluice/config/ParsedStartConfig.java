package dev.sluice.config;

/**
 * A start config parsed, merged and indexed once, as every subtask of a job in one JVM shares it
 * ({@link SharedConfigs#STARTS}). Immutable: the snapshot's records and unmodifiable lists and an
 * immutable {@link ConfigState}. What is not (encoders with their JSON generators) each subtask
 * builds for itself.
 *
 * @param update the start config as the snapshot update it is merged as
 * @param state the config state of a start with nothing stored
 */
record ParsedStartConfig(ConfigUpdate.Snapshot update, ConfigState state) {

    static ParsedStartConfig of(ConfigSnapshot snapshot) {
        // The start config passes no guard (it was deployed), so "force" means nothing here.
        ConfigUpdate.Snapshot update =
                new ConfigUpdate.Snapshot(snapshot.version(), snapshot.jobs(), false);
        return new ParsedStartConfig(update, ConfigState.of(VersionedConfig.of(update)));
    }
}
