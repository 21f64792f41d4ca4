package dev.sluice.jobs;

import dev.sluice.route.DeadLetter;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** Writes a dead letter to the DLQ topic: the original value, the reason in a header. */
public final class DeadLetterRecordSerializer
        implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    /** Header holding the rejection reason (UTF-8). */
    public static final String REASON_HEADER = "sluice.reason";

    private final String topic;

    DeadLetterRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, timestamp, null, letter.payload);
        record.headers().add(REASON_HEADER, letter.reason.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
