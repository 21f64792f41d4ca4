package dev.sluice.chaos;

import dev.sluice.local.LogsProducers;
import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the chaos scenarios' logs to Kafka: each record carries its id ({@code RecordId}, {@code
 * <customer>:<seq>}) and its {@code Customer}, and goes into the {@link SentLedger} once the broker
 * acknowledges it. Idempotent and acks=all, so a retried send never makes a duplicate. Thread-safe.
 */
public final class ChaosProducer implements AutoCloseable {

    /** An extra field's value that removes the field from the record. */
    public static final Object ABSENT = new Object();

    /** The dataset every chaos record belongs to. */
    public static final String DATASET = "http_requests";

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final SentLedger ledger;
    private final AtomicLong failures = new AtomicLong();

    public ChaosProducer(String bootstrapServers, String topic, SentLedger ledger) {
        this.producer =
                LogsProducers.create(
                        bootstrapServers,
                        Map.of(
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                                ProducerConfig.LINGER_MS_CONFIG, "10",
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                        Integer.toString(4 * 1024 * 1024)));
        this.topic = topic;
        this.ledger = ledger;
    }

    /** Sends the customer's next record, with its event time now. */
    public void send(String customer) {
        send(customer, Map.of());
    }

    /**
     * Sends the customer's next record with extra event fields, which replace the usual ones or, as
     * {@link #ABSENT}, remove them.
     */
    public void send(String customer, Map<String, Object> extra) {
        long seq = ledger.next(customer);
        byte[] value = SingleObjectEncoding.toBytes(event(customer, seq, extra));
        producer.send(
                new ProducerRecord<>(topic, customer, value),
                (metadata, error) -> {
                    if (error == null) {
                        ledger.acked(customer, seq);
                    } else {
                        failures.incrementAndGet();
                        ledger.markUncertain(customer, seq);
                    }
                });
    }

    /** Sends a value as it is, outside the ledger: bad input that must never be delivered. */
    public void sendRaw(String key, byte[] value) {
        producer.send(
                new ProducerRecord<>(topic, key, value),
                (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                    }
                });
    }

    /** The event of a customer's {@code seq}-th record. */
    public static LogEvent event(String customer, long seq, Map<String, Object> extra) {
        Map<String, Object> f = new HashMap<>();
        f.put("RecordId", SentLedger.recordId(customer, seq));
        f.put("Customer", customer);
        f.put("ClientIP", "198.51." + (seq % 256) + "." + (seq / 256 % 256));
        f.put("ClientRequestURI", "/api/v1/items/" + seq);
        f.put("EdgeResponseStatus", 200L);
        extra.forEach(
                (name, value) -> {
                    if (value == ABSENT) {
                        f.remove(name);
                    } else {
                        f.put(name, value);
                    }
                });
        return LogEvent.newBuilder()
                .setCustomerId(customer)
                .setDataset(DATASET)
                .setTimestampMicros(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()))
                .setFields(f)
                .build();
    }

    /** Sends that the producer reported failed. */
    public long failures() {
        return failures.get();
    }

    /** Waits until everything sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
