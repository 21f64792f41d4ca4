package dev.sluice.route;

import dev.sluice.schemas.LogEvent;

import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;

import java.io.IOException;

/**
 * Decodes Kafka values in Avro single-object encoding (marker, schema fingerprint, body). Reader
 * schema resolution happens by fingerprint, so producers on an older compatible schema still
 * decode; anything else becomes an {@link UndecodableRecordException} with a reason. Bodies of the
 * current schema, nearly all of them, are read by {@link CurrentSchemaReader}.
 */
public final class LogEventDecoder {

    private final BinaryMessageDecoder<LogEvent> decoder = LogEvent.getDecoder();
    private final CurrentSchemaReader current = new CurrentSchemaReader();

    /** Decodes into {@code reuse} when given, to spare an allocation per record. */
    public LogEvent decode(byte[] value, LogEvent reuse) throws UndecodableRecordException {
        if (value == null || value.length == 0) {
            throw new UndecodableRecordException("empty value");
        }
        LogEvent event;
        try {
            event =
                    CurrentSchemaReader.reads(value)
                            ? current.read(value, reuse != null ? reuse : new LogEvent())
                            : decoder.decode(value, reuse);
        } catch (BadHeaderException e) {
            throw new UndecodableRecordException("not Avro single-object encoding: bad header");
        } catch (MissingSchemaException e) {
            throw new UndecodableRecordException("unknown schema fingerprint");
        } catch (IOException | RuntimeException e) {
            throw new UndecodableRecordException("malformed Avro body: " + e);
        }
        if (event.getCustomerId() == null || event.getCustomerId().isBlank()) {
            throw new UndecodableRecordException("customer_id is blank");
        }
        if (event.getDataset() == null || event.getDataset().isBlank()) {
            throw new UndecodableRecordException("dataset is blank");
        }
        return event;
    }
}
