package dev.sluice.route;

import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes Kafka values in Avro single-object encoding (marker, schema fingerprint, body). Bodies of
 * the current schema, nearly all of them, are read by {@link CurrentSchemaReader}; bodies of a
 * writer schema made known by {@link #add} (from the schema topic) are resolved into the current
 * schema by Avro, so producers may move to a compatible schema before the job does. Anything else
 * becomes an {@link UndecodableRecordException} with a reason; an unknown writer schema's reason
 * starts with {@link #UNKNOWN_SCHEMA} and names its fingerprint.
 */
public final class LogEventDecoder {

    /** How the reason of a record of an unknown writer schema begins; its fingerprint follows. */
    public static final String UNKNOWN_SCHEMA = "unknown schema fingerprint";

    /** This decoder's own, never Avro's shared one: {@link #add} must not touch other tasks'. */
    private final BinaryMessageDecoder<LogEvent> decoder = LogEvent.createDecoder(null);

    private final CurrentSchemaReader current = new CurrentSchemaReader();

    /** Writer schemas added, by fingerprint. */
    private final Map<Long, Schema> known = new HashMap<>();

    private BinaryDecoder skipper;

    /** Makes records of {@code writer} decodable; see {@link WriterSchemas#review}. */
    public void add(long fingerprint, Schema writer) {
        if (known.putIfAbsent(fingerprint, writer) == null) {
            decoder.addSchema(writer);
        }
    }

    /** Whether records of this writer schema fingerprint are decoded, other than the reader's. */
    public boolean knows(long fingerprint) {
        return known.containsKey(fingerprint);
    }

    /** Writer schemas added, besides the reader's own. */
    public int addedSchemas() {
        return known.size();
    }

    /**
     * Walks the body of a value of an added writer schema without reading it: Avro's reader
     * allocates whatever length a string or bytes value claims, so one value claiming 2 GB would
     * fail the task with an {@code OutOfMemoryError}, and again after every restart. Skipping
     * checks every claimed length against the bytes left instead, and fails with an {@code
     * EOFException} (a malformed body). Values of unknown schemas pass, to fail as unknown.
     */
    private void checkLengths(byte[] value) throws IOException {
        if (!SingleObjectEncoding.hasHeader(value)) {
            return;
        }
        Schema writer = known.get(SingleObjectEncoding.fingerprint(value));
        if (writer != null) {
            int header = SingleObjectEncoding.HEADER_BYTES;
            skipper =
                    DecoderFactory.get()
                            .binaryDecoder(value, header, value.length - header, skipper);
            GenericDatumReader.skip(writer, skipper);
        }
    }

    /** Decodes into {@code reuse} when given, to spare an allocation per record. */
    public LogEvent decode(byte[] value, LogEvent reuse) throws UndecodableRecordException {
        if (value == null || value.length == 0) {
            throw new UndecodableRecordException("empty value");
        }
        LogEvent event;
        try {
            if (CurrentSchemaReader.reads(value)) {
                event = current.read(value, reuse != null ? reuse : new LogEvent());
            } else {
                checkLengths(value);
                event = decoder.decode(value, reuse);
            }
        } catch (BadHeaderException e) {
            throw new UndecodableRecordException("not Avro single-object encoding: bad header");
        } catch (MissingSchemaException e) {
            throw new UndecodableRecordException(
                    UNKNOWN_SCHEMA
                            + " "
                            + SingleObjectEncoding.hex(SingleObjectEncoding.fingerprint(value)));
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
