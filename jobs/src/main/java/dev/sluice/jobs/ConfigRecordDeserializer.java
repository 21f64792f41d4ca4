package dev.sluice.jobs;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Reads the config topic's records as text for the router's review, and takes any bytes: no record
 * can fail the config source, or every tenant's delivery would stop with it.
 *
 * <p>A tombstone (a null value, how a compacted topic deletes a key) is ignored: it deletes no job
 * (a versioned {@code delete} does) and leaves the config in force. A value longer than the limit
 * is rejected unread. Both are counted as {@code configUpdatesRejected} with their {@code reason};
 * everything else, garbage included, goes on to the review, which rejects it with its reason.
 */
public final class ConfigRecordDeserializer implements KafkaRecordDeserializationSchema<String> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ConfigRecordDeserializer.class);

    private final long maxBytes;

    private transient Counter tombstones;
    private transient Counter oversize;

    private transient RefusedRecords refused;

    /**
     * @param maxBytes the longest value read; a longer one is rejected unread
     */
    public ConfigRecordDeserializer(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max bytes must be positive, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup sluice = context.getMetricGroup().addGroup("sluice");
        tombstones = rejected(sluice, "tombstone");
        oversize = rejected(sluice, "oversize");
        refused = new RefusedRecords(LOG, "Config topic");
    }

    private static Counter rejected(MetricGroup sluice, String reason) {
        return sluice.addGroup("reason", reason).counter("configUpdatesRejected");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
        byte[] value = record.value();
        if (value == null) {
            refused.refuse(
                    tombstones,
                    record,
                    "a tombstone (null value): ignored, the config in force stays;"
                            + " delete a job with a versioned {\"delete\": ID}");
        } else if (value.length > maxBytes) {
            refused.refuse(
                    oversize,
                    record,
                    value.length
                            + " bytes, more than sluice.config.max-update-bytes ("
                            + maxBytes
                            + "): rejected unread");
        } else {
            // Bytes that are not UTF-8 decode to replacement characters: the review rejects them.
            out.collect(new String(value, StandardCharsets.UTF_8));
        }
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
