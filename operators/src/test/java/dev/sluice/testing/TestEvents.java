package dev.sluice.testing;

import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import java.util.HashMap;
import java.util.Map;

/** Forwarded log events as they arrive from Kafka, for tests. */
public final class TestEvents {

    /** 2024-11-14T10:15:00Z, in microseconds. */
    public static final long T0_MICROS = 1_731_579_300_000_000L;

    private TestEvents() {}

    public static LogEvent event(String customer, long timestampMicros, long status) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("ClientIP", "192.0.2.7");
        fields.put("EdgeResponseStatus", status);
        fields.put("ClientRequestHost", customer + ".example.com");
        return LogEvent.newBuilder()
                .setCustomerId(customer)
                .setDataset(TestConfigs.DATASET)
                .setTimestampMicros(timestampMicros)
                .setFields(fields)
                .build();
    }

    /** The event in Avro single-object encoding, as the Kafka value. */
    public static byte[] encoded(String customer, long timestampMicros, long status) {
        return SingleObjectEncoding.toBytes(event(customer, timestampMicros, status));
    }
}
