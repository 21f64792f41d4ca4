package dev.sluice.bench;

import dev.sluice.local.EmbeddedKafka;

/** The benchmark's Kafka topics. */
final class BenchTopics {

    /** The generated input, read by every Flink contender. */
    static final String INPUT = "bench-input";

    /** The latency probe's records, produced while the job runs. */
    static final String PROBE = "bench-probe";

    /** Sluice's config topic: left empty, the start config is the config. */
    static final String CONFIG = "bench-config";

    static final String DEAD_LETTERS = "bench-dead-letters";

    /** Writer schemas: empty, the bench's own, as a deployment has one. */
    static final String SCHEMAS = "bench-schemas";

    static final String STATUS = "bench-status";

    private BenchTopics() {}

    static void create(EmbeddedKafka kafka) {
        kafka.createTopic(INPUT, BenchServers.PARALLELISM);
        kafka.createTopic(PROBE, BenchServers.PARALLELISM);
        kafka.createTopic(CONFIG, 1);
        kafka.createTopic(DEAD_LETTERS, 1);
        kafka.createCompactedTopic(SCHEMAS);
        kafka.createCompactedTopic(STATUS);
    }
}
