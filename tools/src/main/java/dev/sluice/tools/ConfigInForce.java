package dev.sluice.tools;

import dev.sluice.config.ConfigParser;
import dev.sluice.config.ConfigReview;
import dev.sluice.config.ConfigSnapshot;
import dev.sluice.config.ConfigUpdate;
import dev.sluice.config.ConfigUpdates;
import dev.sluice.config.ConfigVerdict;
import dev.sluice.config.GuardSettings;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.VersionedConfig;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The config in force as the job has it: the start config (when given), then every update of the
 * config topic in order, each taken only if the job's review accepts it. Tombstones, refused and
 * stale updates change nothing, as in the job.
 *
 * @param config the config in force
 * @param snapshots how many snapshots the topic held: without one and without a start config, the
 *     jobs of the job's start config are unknown here
 */
public record ConfigInForce(VersionedConfig config, int snapshots) {

    /** No job at all: the start when neither a start config nor a snapshot is known. */
    private static final VersionedConfig NOTHING = new VersionedConfig(-1, -1, List.of());

    /**
     * @param startConfig the job's start config file; null for none
     * @param guard the guard settings the job runs with
     */
    public static ConfigInForce read(
            String bootstrapServers, String topic, Path startConfig, GuardSettings guard)
            throws IOException, InvalidConfigException {
        VersionedConfig now = startConfig == null ? NOTHING : start(startConfig);
        int snapshots = 0;
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrapServers, topic)) {
            if (r.value() == null) {
                continue;
            }
            String value = new String(r.value(), StandardCharsets.UTF_8);
            if (isSnapshot(value)) {
                snapshots++;
            }
            ConfigReview review = ConfigReview.of(now, value, guard);
            if (review.kind() == ConfigVerdict.Kind.ACCEPTED) {
                now = review.candidate();
            }
        }
        return new ConfigInForce(now, snapshots);
    }

    private static boolean isSnapshot(String value) {
        try {
            return ConfigUpdates.parse(value) instanceof ConfigUpdate.Snapshot;
        } catch (InvalidConfigException e) {
            return false;
        }
    }

    private static VersionedConfig start(Path file) throws IOException, InvalidConfigException {
        ConfigSnapshot s = ConfigParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        return VersionedConfig.of(new ConfigUpdate.Snapshot(s.version(), s.jobs(), false));
    }
}
