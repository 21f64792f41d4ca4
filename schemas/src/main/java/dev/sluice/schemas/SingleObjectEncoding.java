package dev.sluice.schemas;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Kafka values as producers write them: Avro single-object encoding (marker, fingerprint, body).
 */
public final class SingleObjectEncoding {

    /**
     * A record of any writer schema in single-object encoding, as a producer on another version of
     * the schema writes it.
     */
    public static byte[] toBytes(GenericRecord record) {
        try {
            return exactly(
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), record.getSchema())
                            .encode(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + record.getSchema().getName(), e);
        }
    }

    private static byte[] exactly(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** The marker, then the writer schema's 64-bit fingerprint (little-endian), then the body. */
    public static final int HEADER_BYTES = 10;

    private SingleObjectEncoding() {}

    /** Whether {@code value} starts with the single-object marker, C3 01, and a fingerprint. */
    public static boolean hasHeader(byte[] value) {
        return value != null
                && value.length >= HEADER_BYTES
                && value[0] == (byte) 0xC3
                && value[1] == (byte) 0x01;
    }

    /** The writer schema's fingerprint in {@code value}, which must {@link #hasHeader}. */
    public static long fingerprint(byte[] value) {
        long fingerprint = 0;
        for (int i = HEADER_BYTES - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (value[i] & 0xFF);
        }
        return fingerprint;
    }

    /**
     * A fingerprint as every Sluice message and command shows it: 16 hex digits of Avro's parsing
     * fingerprint (CRC-64-AVRO of the schema's canonical form).
     */
    public static String hex(long fingerprint) {
        return String.format("%016x", fingerprint);
    }

    /** The event's single-object encoding as exactly sized bytes. */
    public static byte[] toBytes(LogEvent event) {
        try {
            return exactly(event.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot encode " + event.getCustomerId() + "'s event", e);
        }
    }
}
