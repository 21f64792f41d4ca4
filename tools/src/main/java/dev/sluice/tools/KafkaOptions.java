package dev.sluice.tools;

import picocli.CommandLine.Option;

/** The broker and the schema topic, as the commands that read the job's topics take them. */
final class KafkaOptions {

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "HOST:PORT[,…]",
            description = "Kafka brokers.")
    String bootstrapServers;

    @Option(
            names = "--schema-topic",
            paramLabel = "TOPIC",
            defaultValue = "sluice-schemas",
            description = "The job's sluice.kafka.schema-topic (default: ${DEFAULT-VALUE}).")
    String schemaTopic;
}
