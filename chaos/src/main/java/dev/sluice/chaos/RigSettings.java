package dev.sluice.chaos;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a scenario's rig is set up.
 *
 * @param taskManagers TaskManagers of the MiniCluster, each with {@code parallelism} slots, so one
 *     alone can run the whole job
 * @param parallelism the job's parallelism and the logs topic's partitions
 * @param checkpointInterval how often checkpoints (and so commits) happen
 * @param settings further Flink or Sluice settings, over the rig's
 */
public record RigSettings(
        int taskManagers,
        int parallelism,
        Duration checkpointInterval,
        Map<String, String> settings) {

    public RigSettings {
        settings = Map.copyOf(settings);
    }

    /** One TaskManager, parallelism 2, checkpoints every 2 s. */
    public static RigSettings defaults() {
        return new RigSettings(1, 2, Duration.ofSeconds(2), Map.of());
    }

    public RigSettings withTaskManagers(int count) {
        return new RigSettings(count, parallelism, checkpointInterval, settings);
    }

    public RigSettings withCheckpointInterval(Duration interval) {
        return new RigSettings(taskManagers, parallelism, interval, settings);
    }

    /** These settings plus {@code key: value}. */
    public RigSettings with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(settings);
        more.put(key, value);
        return new RigSettings(taskManagers, parallelism, checkpointInterval, more);
    }
}
