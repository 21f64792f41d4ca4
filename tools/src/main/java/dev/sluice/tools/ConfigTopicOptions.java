package dev.sluice.tools;

import dev.sluice.config.GuardSettings;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.jobs.SluiceOptions;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Where the commands that talk to a running job find Kafka and the config in force. */
final class ConfigTopicOptions {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka, HOST:PORT.")
    String bootstrapServers;

    @Option(
            names = "--config-topic",
            description = "The job's config topic (default: ${DEFAULT-VALUE}).")
    String configTopic = SluiceOptions.CONFIG_TOPIC.defaultValue();

    @Option(
            names = "--start-config",
            description =
                    "The job's start config (its --config), for a config topic that holds no"
                            + " snapshot of it.")
    Path startConfig;

    /** The config in force, as the job has it under {@code guard}. */
    ConfigInForce configInForce(GuardSettings guard) throws IOException, InvalidConfigException {
        return ConfigInForce.read(bootstrapServers, configTopic, startConfig, guard);
    }
}
