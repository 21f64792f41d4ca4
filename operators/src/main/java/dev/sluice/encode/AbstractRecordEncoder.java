package dev.sluice.encode;

import dev.sluice.config.OutputOptions;
import dev.sluice.config.TimestampFormat;
import dev.sluice.schemas.LogEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Walks an event's fields in output order; subclasses render them in their output type. */
abstract class AbstractRecordEncoder implements RecordEncoder {

    private final List<String> fieldNames;
    private final TimestampFormat timestampFormat;
    private final boolean redactLookups;

    /** Reused to sort an event's field names when every field is written. */
    private final ArrayList<String> sortedNames = new ArrayList<>();

    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTimestampText;

    AbstractRecordEncoder(OutputOptions options) {
        this.fieldNames = options.fieldNames();
        this.timestampFormat = options.timestampFormat();
        this.redactLookups = options.cve202144228();
    }

    @Override
    public final byte[] encode(LogEvent event) {
        try {
            startRecord();
            if (fieldNames.isEmpty()) {
                writeEveryField(event);
            } else {
                writeSelectedFields(event);
            }
            return finishRecord();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event", e);
        }
    }

    /** Starts a record: forgets the previous one and writes the record prefix. */
    abstract void startRecord() throws IOException;

    abstract void writeFieldDelimiter() throws IOException;

    /** Writes the event time of a numeric timestamp format. */
    abstract void writeTimestamp(long value) throws IOException;

    /** Writes the event time of a textual timestamp format. */
    abstract void writeTimestamp(String text) throws IOException;

    /** Writes one field; {@code value} is null when the event lacks the field or holds null. */
    abstract void writeField(String name, Object value) throws IOException;

    /**
     * Writes the selected field at {@code index} of the output options' field names; an encoder may
     * write what it prepared for that field once instead of its name.
     */
    void writeSelectedField(int index, String name, Object value) throws IOException {
        writeField(name, value);
    }

    /** Writes the record suffix and returns the record. */
    abstract byte[] finishRecord() throws IOException;

    /** A name or string value as written: with CVE-2021-44228 on, no <code>${</code> survives. */
    final String redact(String text) {
        return redactLookups ? LookupRedaction.apply(text) : text;
    }

    private void writeSelectedFields(LogEvent event) throws IOException {
        Map<String, Object> fields = event.getFields();
        for (int i = 0; i < fieldNames.size(); i++) {
            if (i > 0) {
                writeFieldDelimiter();
            }
            String name = fieldNames.get(i);
            if (TIMESTAMP_FIELD.equals(name)) {
                writeTimestamp(event);
            } else {
                // Logpush writes a selected field the record lacks as null: columns stay stable.
                writeSelectedField(i, name, fields.get(name));
            }
        }
    }

    private void writeEveryField(LogEvent event) throws IOException {
        writeTimestamp(event);
        Map<String, Object> fields = event.getFields();
        sortedNames.clear();
        for (String name : fields.keySet()) {
            // The name is reserved for the envelope's time, written first; never write it twice.
            if (!TIMESTAMP_FIELD.equals(name)) {
                sortedNames.add(name);
            }
        }
        sortedNames.sort(null);
        for (String name : sortedNames) {
            writeFieldDelimiter();
            writeField(name, fields.get(name));
        }
    }

    private void writeTimestamp(LogEvent event) throws IOException {
        long micros = event.getTimestampMicros();
        if (timestampFormat.isNumeric()) {
            writeTimestamp(timestampFormat.toNumber(micros));
        } else {
            writeTimestamp(timestampText(micros));
        }
    }

    /** Text formats have second precision and events come roughly in order: reuse the text. */
    private String timestampText(long micros) {
        long second = Math.floorDiv(micros, 1_000_000L);
        if (second != cachedSecond || cachedTimestampText == null) {
            cachedTimestampText = timestampFormat.toText(micros);
            cachedSecond = second;
        }
        return cachedTimestampText;
    }
}
