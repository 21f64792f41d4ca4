package dev.sluice.chaos;

import dev.sluice.jobs.DeadLetterRecordSerializer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Reads the dead-letter topic from the start, as an operator with a console consumer would. */
final class DeadLetters {

    private DeadLetters() {}

    /** A dead letter: its reason header and the value it kept. */
    record Letter(String reason, byte[] payload) {}

    /** Every dead letter, waiting up to {@code timeout} for at least {@code expected} of them. */
    static List<Letter> read(
            String bootstrapServers, String topic, long expected, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Letter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    letters.add(letter(r));
                }
                if (letters.size() >= expected) {
                    // Anything more (a duplicate, or an unexpected letter) would show within a
                    // poll.
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
                        letters.add(letter(r));
                    }
                    break;
                }
            }
        }
        return letters;
    }

    /** A dead letter as read: its reason header (empty if it has none) and its value. */
    private static Letter letter(ConsumerRecord<byte[], byte[]> r) {
        Header reason = r.headers().lastHeader(DeadLetterRecordSerializer.REASON_HEADER);
        return new Letter(
                reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8),
                r.value());
    }
}
