package dev.sluice.local;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Round trips through a real in-process broker. */
class EmbeddedKafkaTest {

    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

    @TempDir Path dir;

    @Test
    void producesAndConsumesOnTwoPartitions() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir)) {
            assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
            kafka.createTopic("logs", 2);
            kafka.createTopic("logs", 2); // idempotent

            List<String> sent = IntStream.range(0, 100).mapToObj(i -> "record-" + i).toList();
            produce(kafka, "logs", sent, null);
            List<ConsumerRecord<String, String>> received = consume(kafka, "logs", 100);

            assertThat(received)
                    .extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(sent);
            assertThat(received)
                    .extracting(ConsumerRecord::partition)
                    .containsOnly(0, 1)
                    .contains(0, 1);
        }
    }

    @Test
    void restartsOnTheSameLogDirectoryAndKeepsCommittedRecords() throws Exception {
        List<String> sent = List.of("a", "b", "c");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir)) {
            kafka.createTopic("logs", 2);
            produce(kafka, "logs", sent, "tx-test");
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir)) {
            kafka.createTopic("logs", 2); // already there after the restart
            List<ConsumerRecord<String, String>> received = consume(kafka, "logs", sent.size());

            assertThat(received)
                    .extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    /** Sends with an idempotent producer, in one transaction if {@code transactionalId} is set. */
    private static void produce(
            EmbeddedKafka kafka, String topic, List<String> values, String transactionalId)
            throws Exception {
        Map<String, Object> config =
                new HashMap<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.ACKS_CONFIG,
                                "all"));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            if (transactionalId != null) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, values.get(i)));
            }
            if (transactionalId != null) {
                producer.commitTransaction();
            }
            producer.flush();
        }
    }

    private static List<ConsumerRecord<String, String>> consume(
            EmbeddedKafka kafka, String topic, int expected) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        return received;
    }
}
