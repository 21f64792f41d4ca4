package dev.sluice.testing;

import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.util.Map;

/** Writer schemas of LogEvent other than this build's, as forwarders may roll them out. */
public final class TestSchemas {

    private static final String ENVELOPE =
            "{\"name\":\"customer_id\",\"type\":\"string\"},"
                    + "{\"name\":\"dataset\",\"type\":\"string\"},"
                    + "{\"name\":\"timestamp_micros\",\"type\":\"long\"}";

    private static final String FIELDS =
            "{\"name\":\"fields\",\"type\":{\"type\":\"map\",\"values\":"
                    + "[\"null\",\"boolean\",\"long\",\"double\",\"string\"]},\"default\":{}}";

    /** A newer schema: one more field, with a default, which this build's reader skips. */
    public static final String NEWER =
            record(
                    ENVELOPE
                            + ","
                            + FIELDS
                            + ",{\"name\":\"forwarder\",\"type\":\"string\",\"default\":\"\"}");

    /** An older schema: no {@code fields}, which the reader has a default for. */
    public static final String OLDER = record(ENVELOPE);

    /** Incompatible: the reader's {@code timestamp_micros} is missing and has no default. */
    public static final String INCOMPATIBLE =
            record(
                    "{\"name\":\"customer_id\",\"type\":\"string\"},"
                            + "{\"name\":\"dataset\",\"type\":\"string\"}");

    private TestSchemas() {}

    private static String record(String fields) {
        return "{\"type\":\"record\",\"name\":\"LogEvent\",\"namespace\":\"dev.sluice.schemas\","
                + "\"fields\":["
                + fields
                + "]}";
    }

    /**
     * An event of {@code json}'s schema in single-object encoding: the envelope, {@code fields}
     * where the schema has them, and {@code forwarder} where it has that.
     */
    public static byte[] encoded(
            String json, String customer, long timestampMicros, Map<String, Object> fields) {
        Schema schema = new Schema.Parser().parse(json);
        GenericRecord record = new GenericData.Record(schema);
        record.put("customer_id", customer);
        record.put("dataset", TestConfigs.DATASET);
        record.put("timestamp_micros", timestampMicros);
        if (schema.getField("fields") != null) {
            record.put("fields", fields);
        }
        if (schema.getField("forwarder") != null) {
            record.put("forwarder", "fwd-7");
        }
        return SingleObjectEncoding.toBytes(record);
    }
}
