package dev.sluice.config;

/**
 * A start config parsed, merged and indexed once, as every subtask of a job in one JVM shares it
 * ({@link SharedStartConfigs}). Every part is immutable: the snapshot's records and unmodifiable
 * lists, {@link VersionedConfig}'s unmodifiable entries, {@link ActiveConfig}'s read-only maps.
 * What is not (routing tables, encoders with their JSON generators) each subtask builds for itself.
 *
 * @param update the start config as the snapshot update it is merged as
 * @param merged the config state of a start with nothing stored
 * @param active {@code merged}, indexed
 * @param storedJson {@code merged} as broadcast state stores it: one string for every subtask's
 *     state, not one each (at a million jobs, each copy is over a gigabyte)
 */
record ParsedStartConfig(
        ConfigUpdate.Snapshot update,
        VersionedConfig merged,
        ActiveConfig active,
        String storedJson) {

    static ParsedStartConfig of(ConfigSnapshot snapshot) {
        // The start config passes no guard (it was deployed), so "force" means nothing here.
        ConfigUpdate.Snapshot update =
                new ConfigUpdate.Snapshot(snapshot.version(), snapshot.jobs(), false);
        VersionedConfig merged = VersionedConfig.of(update);
        return new ParsedStartConfig(
                update, merged, ActiveConfig.of(merged.snapshot()), merged.toJson());
    }
}
