package dev.sluice.tools;

import dev.sluice.jobs.DeadLetterRecordSerializer;
import dev.sluice.route.LogEventDecoder;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Sends dead letters back to the logs topic once their writer schema is known, exactly once.
 *
 * <p>What a replay promises: it reads the dead-letter topic from where the last replay of the same
 * progress group stopped to its end as of the start, and for each poll of letters, in one Kafka
 * transaction, sends the chosen letters whose schema is known to the logs topic, moves the chosen
 * letters whose schema is still unknown to the end of the dead-letter topic (so a later replay
 * finds them), and commits how far it got. So a second run sends nothing a first run sent, and an
 * interrupted run's open transaction is aborted (by the next run at the latest): readers that read
 * committed records only, as the job's logs source does, never see its sends, and the next run
 * sends those letters again. Letters not chosen ({@code --reason}, {@code --since}, or cut to their
 * first kilobyte for being oversize) are passed over, and later runs start after them. Two replays
 * of one group at once fence each other: the older one fails.
 */
public class DeadLetterReplay {

    private static final Duration POLL = Duration.ofMillis(500);

    /** Reasons of letters cut for being oversize: never whole, never replayed. */
    private static final String OVERSIZE = "oversize record";

    /** Header a replayed record carries: the dead letter it was, as topic/partition/offset. */
    public static final String REPLAYED_FROM_HEADER = "sluice.replayed-from";

    /** What to replay, from where to where. */
    public record Settings(
            String bootstrapServers,
            String deadLetterTopic,
            String logsTopic,
            String reasonPrefix,
            Instant since,
            String progressGroup) {}

    /** Letters sent, moved to the end because their schema is still unknown, and passed over. */
    public record Totals(long replayed, long waiting, long passedOver) {}

    private final Settings settings;

    public DeadLetterReplay(Settings settings) {
        this.settings = settings;
    }

    /** Replays the chosen letters whose writer schema is in {@code known}. */
    public Totals run(Set<Long> known) {
        long[] totals = new long[3];
        try (KafkaConsumer<byte[], byte[]> consumer =
                        KafkaClients.consumer(
                                settings.bootstrapServers(), settings.progressGroup());
                KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            List<TopicPartition> partitions =
                    KafkaClients.partitions(consumer, settings.deadLetterTopic());
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!KafkaClients.reached(consumer, end)) {
                ConsumerRecords<byte[], byte[]> letters = consumer.poll(POLL);
                if (letters.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                try {
                    Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
                    for (ConsumerRecord<byte[], byte[]> letter : letters) {
                        TopicPartition tp = new TopicPartition(letter.topic(), letter.partition());
                        // Past the end as of the start are the letters this run moved there.
                        if (letter.offset() < end.get(tp)) {
                            totals[handle(letter, known, producer)]++;
                            progress.put(tp, new OffsetAndMetadata(letter.offset() + 1));
                        }
                    }
                    producer.sendOffsetsToTransaction(progress, consumer.groupMetadata());
                    producer.commitTransaction();
                } catch (RuntimeException e) {
                    producer.abortTransaction();
                    throw e;
                }
            }
        }
        return new Totals(totals[0], totals[1], totals[2]);
    }

    /** Sends, moves or passes over one letter; returns which of the three totals it counts in. */
    private int handle(
            ConsumerRecord<byte[], byte[]> letter,
            Set<Long> known,
            KafkaProducer<byte[], byte[]> producer) {
        if (!chosen(letter)) {
            return 2;
        }
        if (!known.contains(SingleObjectEncoding.fingerprint(letter.value()))) {
            producer.send(
                    new ProducerRecord<>(
                            settings.deadLetterTopic(),
                            null,
                            letter.timestamp(),
                            letter.key(),
                            letter.value(),
                            letter.headers()));
            return 1;
        }
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(settings.logsTopic(), null, null, letter.value());
        String from = letter.topic() + "/" + letter.partition() + "/" + letter.offset();
        record.headers().add(REPLAYED_FROM_HEADER, from.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
        sent(letter);
        return 0;
    }

    private boolean chosen(ConsumerRecord<byte[], byte[]> letter) {
        String reason = header(letter, DeadLetterRecordSerializer.REASON_HEADER);
        return reason != null
                && reason.startsWith(settings.reasonPrefix())
                && !reason.startsWith(OVERSIZE)
                && SingleObjectEncoding.hasHeader(letter.value())
                && (settings.since() == null
                        || letter.timestamp() >= settings.since().toEpochMilli());
    }

    /** Called after each letter is handed to the producer, inside its transaction. */
    protected void sent(ConsumerRecord<byte[], byte[]> letter) {}

    private KafkaProducer<byte[], byte[]> transactionalProducer() {
        Properties props = KafkaClients.producerProps(settings.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.progressGroup());
        return new KafkaProducer<>(props);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The reason prefix {@code --reason unknown-schema} stands for. */
    static final String UNKNOWN_SCHEMA = LogEventDecoder.UNKNOWN_SCHEMA;
}
