package dev.sluice.jobs;

import dev.sluice.route.DeadLetter;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Writes a dead letter to the DLQ topic: the original value, the reason in a header, and the writer
 * schema's fingerprint in another when the value has a single-object header, so a letter of a
 * schema not yet published can be found and replayed once it is ({@code bin/sluice dead-letters
 * replay}).
 */
public final class DeadLetterRecordSerializer
        implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    /** Header holding the rejection reason (UTF-8). */
    public static final String REASON_HEADER = "sluice.reason";

    /** Header holding the writer schema's fingerprint, 16 hex digits, when the value has one. */
    public static final String FINGERPRINT_HEADER = "sluice.fingerprint";

    private final String topic;

    public DeadLetterRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, timestamp, null, letter.payload);
        record.headers().add(REASON_HEADER, letter.reason.getBytes(StandardCharsets.UTF_8));
        if (SingleObjectEncoding.hasHeader(letter.payload)) {
            String fingerprint =
                    SingleObjectEncoding.hex(SingleObjectEncoding.fingerprint(letter.payload));
            record.headers().add(FINGERPRINT_HEADER, fingerprint.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
