package dev.sluice.encode;

import dev.sluice.config.OutputOptions;
import dev.sluice.config.TimestampFormat;
import dev.sluice.schemas.LogEvent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one event as one NDJSON line after a job's output options.
 *
 * <p>{@code timestamp} is the reserved field name of the envelope's event time, rendered in the
 * job's timestamp format. A selected field the event lacks is written as null. With no
 * {@code field_names} the line holds the timestamp and then every field in name order, so output
 * is deterministic whatever order the event's map has.
 */
public final class NdjsonEncoder {

    public static final String TIMESTAMP_FIELD = "timestamp";

    private static final JsonFactory JSON = new JsonFactory();

    private final List<String> fieldNames;
    private final TimestampFormat timestampFormat;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

    public NdjsonEncoder(OutputOptions options) {
        this.fieldNames = options.fieldNames();
        this.timestampFormat = options.timestampFormat();
    }

    /** The event as UTF-8 JSON followed by a newline. */
    public byte[] encode(LogEvent event) {
        buffer.reset();
        try (JsonGenerator json = JSON.createGenerator(buffer)) {
            json.writeStartObject();
            if (fieldNames.isEmpty()) {
                writeTimestamp(json, event);
                for (Map.Entry<String, Object> f : new TreeMap<>(event.getFields()).entrySet()) {
                    writeField(json, f.getKey(), f.getValue());
                }
            } else {
                writeSelected(json, event);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event as JSON", e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    private void writeSelected(JsonGenerator json, LogEvent event) throws IOException {
        Map<String, Object> fields = event.getFields();
        for (String name : fieldNames) {
            if (TIMESTAMP_FIELD.equals(name)) {
                writeTimestamp(json, event);
            } else {
                // Logpush writes a selected field the record lacks as null: columns stay stable.
                writeField(json, name, fields.get(name));
            }
        }
    }

    private void writeTimestamp(JsonGenerator json, LogEvent event) throws IOException {
        json.writeFieldName(TIMESTAMP_FIELD);
        json.writeRawValue(timestampFormat.render(event.getTimestampMicros()));
    }

    private static void writeField(JsonGenerator json, String name, Object value)
            throws IOException {
        json.writeFieldName(name);
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Boolean) {
            json.writeBoolean((Boolean) value);
        } else if (value instanceof Long) {
            json.writeNumber((Long) value);
        } else if (value instanceof Double) {
            json.writeNumber((Double) value);
        } else {
            json.writeString(value.toString());
        }
    }
}
