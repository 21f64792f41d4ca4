package dev.sluice.tests;

import dev.sluice.jobs.DeadLetterRecordSerializer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Reads a dead-letter topic from its start, as an operator would. */
final class DeadLetterTopic {

    private DeadLetterTopic() {}

    /**
     * The {@code reason} header of the topic's records, read until there are {@code atMost} or
     * {@code within} has passed.
     */
    static List<String> reasons(
            String bootstrapServers, String topic, int atMost, Duration within) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + within.toMillis();
            while (reasons.size() < atMost && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    reasons.add(reason(r));
                }
            }
        }
        return reasons;
    }

    private static String reason(ConsumerRecord<byte[], byte[]> record) {
        byte[] reason =
                record.headers().lastHeader(DeadLetterRecordSerializer.REASON_HEADER).value();
        return new String(reason, StandardCharsets.UTF_8);
    }
}
