package dev.sluice.local;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.Properties;

/**
 * Kafka producers of log records as a forwarder sends them: keyed by customer, values in Avro
 * single-object encoding, acknowledged by every replica and compressed with lz4. The local run's
 * generator, the chaos suite and the bench each add their own batching on top.
 */
public final class LogsProducers {

    private LogsProducers() {}

    /** A producer to {@code bootstrapServers} with {@code settings} over the common ones. */
    public static KafkaProducer<String, byte[]> create(
            String bootstrapServers, Map<String, String> settings) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putAll(settings);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
