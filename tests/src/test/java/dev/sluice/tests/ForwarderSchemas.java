package dev.sluice.tests;

import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LogEvent schemas a forwarder fleet may write with, derived from this build's: newer ones with
 * added fields (defaults given), and the older one without {@code fields} (the reader's default
 * fills it). Records carry a {@code RecordId} and {@code Customer} where the schema has fields.
 */
final class ForwarderSchemas {

    private ForwarderSchemas() {}

    /** This build's schema plus string fields {@code added}, each defaulting to "". */
    static Schema newer(String... added) {
        List<Schema.Field> fields = copies(LogEvent.getClassSchema().getFields());
        for (String name : added) {
            fields.add(new Schema.Field(name, Schema.create(Schema.Type.STRING), null, ""));
        }
        return record(fields);
    }

    /** This build's schema without its {@code fields} map. */
    static Schema older() {
        List<Schema.Field> fields = copies(LogEvent.getClassSchema().getFields());
        fields.removeIf(f -> f.name().equals("fields"));
        return record(fields);
    }

    /** Writes {@code schema} as a .avsc file, as a forwarder team would hand it over. */
    static Path write(Schema schema, Path file) throws IOException {
        Files.writeString(file, schema.toString(true), StandardCharsets.UTF_8);
        return file;
    }

    /** An http_requests event of {@code schema} in single-object encoding. */
    static byte[] event(Schema schema, String customer, String id, long timestampMicros) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            if (f.schema().getType() == Schema.Type.STRING) {
                record.put(f.name(), "fwd");
            }
        }
        record.put("customer_id", customer);
        record.put("dataset", "http_requests");
        record.put("timestamp_micros", timestampMicros);
        if (schema.getField("fields") != null) {
            record.put("fields", Map.of("RecordId", customer + ":" + id, "Customer", customer));
        }
        return SingleObjectEncoding.toBytes(record);
    }

    private static Schema record(List<Schema.Field> fields) {
        Schema own = LogEvent.getClassSchema();
        return Schema.createRecord(own.getName(), own.getDoc(), own.getNamespace(), false, fields);
    }

    /** Fields belong to one schema: a new schema needs copies. */
    private static List<Schema.Field> copies(List<Schema.Field> fields) {
        List<Schema.Field> out = new ArrayList<>();
        for (Schema.Field f : fields) {
            out.add(new Schema.Field(f, f.schema()));
        }
        return out;
    }
}
