package dev.sluice.bench;

import dev.sluice.local.HttpLogGenerator;
import dev.sluice.local.LogsProducers;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.Map;

/**
 * The benchmark's input, generated once: forwarded HTTP request logs of many customers as Kafka
 * values (Avro single-object encoding), kept in memory for the limit loop and produced to Kafka for
 * the Flink contenders, so every contender works on the same records.
 */
public final class BenchInput {

    /** 2024-11-14T10:15:00Z in microseconds: fixed, so runs compare byte for byte. */
    private static final long T0_MICROS = 1_731_579_300_000_000L;

    private final List<String> customers;
    private final String[] keys;
    private final byte[][] values;
    private final long avroBytes;

    private BenchInput(List<String> customers, String[] keys, byte[][] values) {
        this.customers = customers;
        this.keys = keys;
        this.values = values;
        long bytes = 0;
        for (byte[] v : values) {
            bytes += v.length;
        }
        this.avroBytes = bytes;
    }

    /** {@code records} logs of {@code customers} customers, skewed as the local generator's. */
    public static BenchInput generate(int records, List<String> customers, long seed) {
        HttpLogGenerator generator = new HttpLogGenerator(customers, seed);
        String[] keys = new String[records];
        byte[][] values = new byte[records][];
        long micros = T0_MICROS;
        for (int i = 0; i < records; i++) {
            keys[i] = generator.nextCustomer();
            micros += 17;
            values[i] = SingleObjectEncoding.toBytes(generator.next(keys[i], micros));
        }
        return new BenchInput(List.copyOf(customers), keys, values);
    }

    public List<String> customers() {
        return customers;
    }

    public int size() {
        return values.length;
    }

    /** The i-th Kafka value. */
    public byte[] value(int i) {
        return values[i];
    }

    /** Bytes of all Kafka values together. */
    public long avroBytes() {
        return avroBytes;
    }

    /** Produces every record to {@code topic}, keyed by customer, and waits for all acks. */
    public void produceTo(String bootstrapServers, String topic) {
        try (KafkaProducer<String, byte[]> producer =
                LogsProducers.create(
                        bootstrapServers,
                        Map.of(
                                ProducerConfig.LINGER_MS_CONFIG, "20",
                                ProducerConfig.BATCH_SIZE_CONFIG, "262144"))) {
            for (int i = 0; i < values.length; i++) {
                producer.send(new ProducerRecord<>(topic, keys[i], values[i]));
            }
            producer.flush();
        }
    }
}
