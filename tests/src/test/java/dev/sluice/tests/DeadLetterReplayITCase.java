package dev.sluice.tests;

import dev.sluice.jobs.DeadLetterRecordSerializer;
import dev.sluice.local.EmbeddedKafka;
import dev.sluice.route.DeadLetter;
import dev.sluice.route.WriterSchemas;
import dev.sluice.tools.DeadLetterReplay;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a replay of dead letters promises, on a real broker: each letter whose schema is known is
 * sent once, over any number of runs; a run interrupted midway sends nothing a reader of committed
 * records sees, and the next run sends those letters; letters of a still unknown schema wait at the
 * end of the topic for a later run; letters of other reasons, cut oversize ones, and ones before
 * {@code --since} are passed over.
 */
class DeadLetterReplayITCase {

    private static final String DLQ = "replay-dlq";
    private static final String LOGS = "replay-logs";
    private static final String SINCE_DLQ = "replay-since-dlq";

    private static final Schema KNOWN = ForwarderSchemas.newer("forwarder");
    private static final Schema LATE = ForwarderSchemas.newer("forwarder", "colo");

    @TempDir static java.nio.file.Path dir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"));
        kafka.createTopic(DLQ, 2);
        kafka.createTopic(LOGS, 1);
        kafka.createTopic(SINCE_DLQ, 1);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void eachLetterIsReplayedOnceAcrossRunsAndInterruptions() {
        Instant start = Instant.now();
        List<byte[]> known = List.of(value(KNOWN, 1), value(KNOWN, 2), value(KNOWN, 3));
        byte[] late = value(LATE, 4);
        known.forEach(v -> letter(unknownSchema(v), v));
        letter(unknownSchema(late), late);
        letter("malformed Avro body: java.io.EOFException", value(KNOWN, 5));
        letter("oversize record: 2000000 bytes, ...", value(KNOWN, 6));
        Set<Long> schemas = Set.of(WriterSchemas.READER_FINGERPRINT, fingerprint(KNOWN));

        assertThatThrownBy(() -> new FailingAfterTwoSends(settings(start)).run(schemas))
                .hasMessageContaining("interrupted");
        assertThat(readCommitted(LOGS)).as("sends of the interrupted run").isEmpty();

        assertThat(replay(start, schemas)).isEqualTo(new DeadLetterReplay.Totals(3, 1, 2));
        assertThat(readCommitted(LOGS)).containsExactlyInAnyOrderElementsOf(strings(known));

        assertThat(replay(start, schemas)).isEqualTo(new DeadLetterReplay.Totals(0, 1, 0));
        assertThat(readCommitted(LOGS)).hasSize(3);

        Set<Long> withLate = Set.of(fingerprint(KNOWN), fingerprint(LATE));
        assertThat(replay(start, withLate)).isEqualTo(new DeadLetterReplay.Totals(1, 0, 0));
        assertThat(replay(start, withLate)).isEqualTo(new DeadLetterReplay.Totals(0, 0, 0));
        List<String> all = new ArrayList<>(strings(known));
        all.add(new String(late, StandardCharsets.ISO_8859_1));
        assertThat(readCommitted(LOGS)).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void lettersBeforeSinceArePassedOver() {
        byte[] v = value(KNOWN, 7);
        letter(SINCE_DLQ, unknownSchema(v), v);
        DeadLetterReplay.Settings future =
                new DeadLetterReplay.Settings(
                        kafka.bootstrapServers(),
                        SINCE_DLQ,
                        LOGS,
                        dev.sluice.route.LogEventDecoder.UNKNOWN_SCHEMA,
                        Instant.now().plusSeconds(3600),
                        "since-group");

        DeadLetterReplay.Totals totals =
                new DeadLetterReplay(future).run(Set.of(fingerprint(KNOWN)));

        assertThat(totals).isEqualTo(new DeadLetterReplay.Totals(0, 0, 1));
    }

    private static DeadLetterReplay.Totals replay(Instant since, Set<Long> schemas) {
        return new DeadLetterReplay(settings(since)).run(schemas);
    }

    private static DeadLetterReplay.Settings settings(Instant since) {
        return new DeadLetterReplay.Settings(
                kafka.bootstrapServers(),
                DLQ,
                LOGS,
                dev.sluice.route.LogEventDecoder.UNKNOWN_SCHEMA,
                since.minusSeconds(60),
                "replay-group");
    }

    /** A replay that fails after its second send, inside its transaction. */
    private static final class FailingAfterTwoSends extends DeadLetterReplay {
        private int sent;

        FailingAfterTwoSends(Settings settings) {
            super(settings);
        }

        @Override
        protected void sent(ConsumerRecord<byte[], byte[]> letter) {
            if (++sent == 2) {
                throw new IllegalStateException("interrupted");
            }
        }
    }

    private static String unknownSchema(byte[] value) {
        return "unknown schema fingerprint "
                + dev.sluice.schemas.SingleObjectEncoding.hex(
                        dev.sluice.schemas.SingleObjectEncoding.fingerprint(value));
    }

    /** A dead letter as the job writes it. */
    private static void letter(String reason, byte[] payload) {
        letter(DLQ, reason, payload);
    }

    private static void letter(String topic, String reason, byte[] payload) {
        ProducerRecord<byte[], byte[]> record =
                new DeadLetterRecordSerializer(topic)
                        .serialize(new DeadLetter(reason, payload), null, null);
        try (KafkaProducer<byte[], byte[]> producer =
                TenantFixture.producer(kafka.bootstrapServers())) {
            producer.send(record);
            producer.flush();
        }
    }

    private static byte[] value(Schema schema, int n) {
        return ForwarderSchemas.event(schema, "alpha", "r" + n, 1_731_579_300_000_000L + n);
    }

    private static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    private static List<String> strings(List<byte[]> values) {
        return values.stream()
                .map(v -> new String(v, StandardCharsets.ISO_8859_1))
                .collect(Collectors.toList());
    }

    /** The topic's committed records, as the job's logs source reads them. */
    private static List<String> readCommitted(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (consumer.position(partitions.get(0)) < end.get(partitions.get(0))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return values;
    }
}
