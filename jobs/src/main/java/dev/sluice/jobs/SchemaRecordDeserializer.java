package dev.sluice.jobs;

import dev.sluice.route.RouteUpdate;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Reads the schema topic's records as writer schemas for the router's review, and takes any bytes,
 * as {@link ConfigRecordDeserializer} does for the config topic. A tombstone is ignored (a schema
 * once known stays known: its records may still be in Kafka) and a value longer than {@link
 * #MAX_SCHEMA_BYTES} is rejected unread; both are counted as {@code schemaUpdatesRejected} with
 * their {@code reason}. Everything else goes to the router, which rejects what does not parse or
 * resolve, with the reason.
 */
public final class SchemaRecordDeserializer
        implements KafkaRecordDeserializationSchema<RouteUpdate> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRecordDeserializer.class);

    /** LogEvent's schema is under 1 KiB; a schema a thousand times that is no schema of it. */
    public static final int MAX_SCHEMA_BYTES = 1024 * 1024;

    private transient Counter tombstones;
    private transient Counter oversize;

    private transient RefusedRecords refused;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup sluice = context.getMetricGroup().addGroup("sluice");
        tombstones = sluice.addGroup("reason", "tombstone").counter("schemaUpdatesRejected");
        oversize = sluice.addGroup("reason", "oversize").counter("schemaUpdatesRejected");
        refused = new RefusedRecords(LOG, "Schema topic");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RouteUpdate> out) {
        byte[] value = record.value();
        if (value == null) {
            refused.refuse(
                    tombstones, record, "a tombstone (null value): ignored, known schemas stay");
        } else if (value.length > MAX_SCHEMA_BYTES) {
            refused.refuse(oversize, record, value.length + " bytes: rejected unread");
        } else {
            out.collect(RouteUpdate.schema(new String(value, StandardCharsets.UTF_8)));
        }
    }

    @Override
    public TypeInformation<RouteUpdate> getProducedType() {
        return TypeInformation.of(RouteUpdate.class);
    }
}
