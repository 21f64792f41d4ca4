package dev.sluice.local;

import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Produces generated logs into Kafka at a steady rate, as a forwarder would: keyed by customer,
 * values in Avro single-object encoding. Counts what it produced per customer.
 */
public final class LogProducer implements AutoCloseable {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final HttpLogGenerator generator;
    private final Map<String, Long> producedByCustomer = new HashMap<>();
    private final AtomicLong produced = new AtomicLong();
    private volatile boolean stopped;

    public LogProducer(String bootstrapServers, String topic, HttpLogGenerator generator) {
        this.producer =
                LogsProducers.create(
                        bootstrapServers, Map.of(ProducerConfig.LINGER_MS_CONFIG, "20"));
        this.topic = topic;
        this.generator = generator;
    }

    /** Produces {@code count} records as fast as the broker takes them, then flushes. */
    public void produce(long count) {
        for (long i = 0; i < count; i++) {
            sendOne();
        }
        producer.flush();
    }

    /** Produces at {@code perSecond} until {@link #stop()}, then flushes what it sent. */
    public void produceAtRate(long perSecond) {
        long start = System.nanoTime();
        long sent = 0;
        while (!stopped) {
            long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
            for (; sent < due; sent++) {
                sendOne();
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
        producer.flush();
    }

    private void sendOne() {
        String customer = generator.nextCustomer();
        long nowMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        producer.send(
                new ProducerRecord<>(
                        topic,
                        customer,
                        SingleObjectEncoding.toBytes(generator.next(customer, nowMicros))));
        synchronized (producedByCustomer) {
            producedByCustomer.merge(customer, 1L, Long::sum);
        }
        produced.incrementAndGet();
    }

    /** Ends {@link #produceAtRate}; it returns once everything sent is acknowledged. */
    public void stop() {
        stopped = true;
    }

    public long produced() {
        return produced.get();
    }

    public Map<String, Long> producedByCustomer() {
        synchronized (producedByCustomer) {
            return new HashMap<>(producedByCustomer);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
