package dev.sluice.jobs;

import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands the logs topic's values to the router as they are, to be decoded or dead-lettered there. A
 * null value (a tombstone) becomes an empty one: Flink cannot send a null record to the router's
 * subtask, and an empty value is dead-lettered with its reason like any other undecodable one.
 */
public final class LogRecordDeserializer implements KafkaRecordDeserializationSchema<byte[]> {

    private static final long serialVersionUID = 1L;

    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<byte[]> out) {
        byte[] value = record.value();
        out.collect(value == null ? EMPTY : value);
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }
}
