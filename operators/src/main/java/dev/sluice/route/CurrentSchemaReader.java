package dev.sluice.route;

import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the body of a {@link LogEvent} written with this build's own schema, which is what nearly
 * every record is, straight off Avro's {@link BinaryDecoder}. Avro's generic reader builds each
 * record's field map anew: a new String per field name, hashed again on every insert and on every
 * lookup by the encoders, about half of the router's time. Here a field name is the String the
 * previous record had at the same position when the bytes match, else one from a bounded table of
 * the names seen before (its hash computed once), and the reused event's map (a {@link FieldMap})
 * is refilled in place. Any other writer schema is left to Avro's schema resolution ({@link
 * LogEventDecoder}).
 */
final class CurrentSchemaReader {

    /**
     * The fingerprint of the schema this reader's layout follows: customer_id, dataset,
     * timestamp_micros, then fields as a map of ["null", "boolean", "long", "double", "string"].
     */
    static final long READS_FINGERPRINT = 5030341905143277682L;

    /** The current schema's fingerprint, as single-object encoding writes it after the marker. */
    static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(LogEvent.SCHEMA$);

    /**
     * Whether this reader applies to the current schema. Should the schema change, it no longer
     * does, and every body goes through Avro until the reader follows (CurrentSchemaReaderTest
     * fails until then).
     */
    static final boolean APPLIES = FINGERPRINT == READS_FINGERPRINT;

    /** Single-object encoding: the marker C3 01, then the fingerprint, little-endian. */
    static final int HEADER_BYTES = 10;

    /**
     * Distinct field names kept; past it, names are read as new Strings. Datasets have tens of
     * fields: the bound only stops a stream of made-up names from growing the table.
     */
    static final int MAX_NAMES = 4096;

    private static final int UNION_NULL = 0;
    private static final int UNION_BOOLEAN = 1;
    private static final int UNION_LONG = 2;
    private static final int UNION_DOUBLE = 3;
    private static final int UNION_STRING = 4;

    /**
     * Names remembered by position: the dataset's, then the map's first fields; later ones are
     * looked up.
     */
    private static final int MAX_POSITIONS = 256;

    /** The dataset's position; the map's fields follow it. */
    private static final int DATASET = 0;

    private final Map<Utf8, String> names = new HashMap<>();
    private final Utf8 scratch = new Utf8();

    /**
     * The previous record's dataset and field names by position, and their bytes. Producers write a
     * dataset's fields in the same order record after record, so a name is mostly found by
     * comparing its bytes with the name at its position last time, without hashing them.
     */
    private final String[] lastNames = new String[MAX_POSITIONS];

    private final byte[][] lastBytes = new byte[MAX_POSITIONS][];

    private BinaryDecoder in;

    /** Reused for the bytes of string values, which become new Strings. */
    private byte[] text = new byte[256];

    /** Bytes of the body being read: no string in it can be longer. */
    private int bodyLength;

    /** Whether {@code value} is single-object encoded with the schema this reader follows. */
    static boolean reads(byte[] value) {
        return APPLIES
                && SingleObjectEncoding.hasHeader(value)
                && SingleObjectEncoding.fingerprint(value) == FINGERPRINT;
    }

    /** Reads the body of {@code value}, which {@link #reads} accepted, into {@code reuse}. */
    LogEvent read(byte[] value, LogEvent reuse) throws IOException {
        return read(value, HEADER_BYTES, value.length - HEADER_BYTES, reuse);
    }

    /** Reads {@code length} bytes of body at {@code offset} into {@code reuse}. */
    LogEvent read(byte[] value, int offset, int length, LogEvent reuse) throws IOException {
        in = DecoderFactory.get().binaryDecoder(value, offset, length, in);
        bodyLength = length;
        reuse.setCustomerId(string());
        reuse.setDataset(name(DATASET));
        reuse.setTimestampMicros(in.readLong());
        Map<String, Object> fields = emptyFields(reuse);
        int position = DATASET + 1;
        for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
            for (long i = 0; i < n; i++) {
                String name = name(position++);
                fields.put(name, fieldValue());
            }
        }
        return reuse;
    }

    /** The reused event's map, emptied; a map Avro left there is replaced by a {@link FieldMap}. */
    private static Map<String, Object> emptyFields(LogEvent event) {
        Map<String, Object> fields = event.getFields();
        if (fields instanceof FieldMap) {
            fields.clear();
            return fields;
        }
        Map<String, Object> fresh = new FieldMap();
        event.setFields(fresh);
        return fresh;
    }

    /** The name at {@code position} in its record: the dataset's, or a field's. */
    private String name(int position) throws IOException {
        readInto(scratch);
        if (position >= MAX_POSITIONS) {
            return known();
        }
        byte[] last = lastBytes[position];
        int length = scratch.getByteLength();
        if (last != null && Arrays.equals(last, 0, last.length, scratch.getBytes(), 0, length)) {
            return lastNames[position];
        }
        String name = known();
        lastNames[position] = name;
        lastBytes[position] = Arrays.copyOf(scratch.getBytes(), length);
        return name;
    }

    /**
     * Reads a string's bytes into {@code utf8}. Its length is checked against the body first:
     * Avro's own {@code readString} allocates whatever length a value claims before it finds the
     * bytes missing, so one forged value (a length near 2 GB in a 1 KB record) failed a task with
     * less heap than that free with an {@link OutOfMemoryError}, and again after every restart.
     */
    private void readInto(Utf8 utf8) throws IOException {
        int length = stringLength();
        utf8.setByteLength(length);
        in.readFixed(utf8.getBytes(), 0, length);
    }

    private String string() throws IOException {
        int length = stringLength();
        if (length == 0) {
            return "";
        }
        if (text.length < length) {
            text = new byte[Math.max(length, 2 * text.length)];
        }
        in.readFixed(text, 0, length);
        return new String(text, 0, length, StandardCharsets.UTF_8);
    }

    private int stringLength() throws IOException {
        long length = in.readLong();
        if (length < 0 || length > bodyLength) {
            throw new IOException(
                    "a string of " + length + " bytes, longer than its record's body");
        }
        return (int) length;
    }

    /** The name in {@link #scratch}: the table's String for it, or a new one. */
    private String known() {
        String name = names.get(scratch);
        if (name == null) {
            name = scratch.toString();
            if (names.size() < MAX_NAMES) {
                names.put(new Utf8(scratch), name);
            }
        }
        return name;
    }

    private Object fieldValue() throws IOException {
        int branch = in.readIndex();
        switch (branch) {
            case UNION_NULL:
                in.readNull();
                return null;
            case UNION_BOOLEAN:
                return in.readBoolean();
            case UNION_LONG:
                return in.readLong();
            case UNION_DOUBLE:
                return in.readDouble();
            case UNION_STRING:
                return string();
            default:
                throw new IOException("union index " + branch + " out of range");
        }
    }

    /** Names held; for tests. */
    int names() {
        return names.size();
    }
}
