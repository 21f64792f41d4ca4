package dev.sluice.encode;

import dev.sluice.config.OutputOptions;
import dev.sluice.config.OutputType;
import dev.sluice.schemas.LogEvent;

/**
 * Writes one event as one record after a job's output options: the record prefix, the fields joined
 * by the field delimiter, the record suffix. What goes around and between records of a batch is
 * {@link BatchFraming}'s.
 *
 * <p>{@code timestamp} is the reserved field name of the envelope's event time, rendered in the
 * job's timestamp format. A selected field the event lacks is written as null (ndjson) or empty
 * (csv), so columns stay stable. With no {@code field_names} a record holds the timestamp and then
 * every field in name order, so output is deterministic whatever order the event's map has.
 *
 * <p>An encoder reuses its buffers and is not thread-safe: build one per task, once per config
 * version, never per record.
 */
public interface RecordEncoder {

    String TIMESTAMP_FIELD = "timestamp";

    /** The event as one UTF-8 record, record prefix and suffix included; a fresh array. */
    byte[] encode(LogEvent event);

    /** The encoder of validated options' output type. */
    static RecordEncoder forOptions(OutputOptions options) {
        return switch (OutputType.of(options.outputType())) {
            case NDJSON -> new NdjsonRecordEncoder(options);
            case CSV -> new CsvRecordEncoder(options);
        };
    }
}
