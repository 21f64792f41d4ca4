package dev.sluice.chaos;

import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Bad Kafka values of each kind the bad-input scenario sends, and the dead-letter reason each must
 * get. Every value is distinct (it carries its number).
 */
enum BadInput {
    GARBAGE("not Avro single-object encoding") {
        @Override
        byte[] value(int n) {
            return ("garbage log line " + n).getBytes(StandardCharsets.UTF_8);
        }
    },
    EMPTY("empty value") {
        @Override
        byte[] value(int n) {
            return new byte[0];
        }
    },
    MALFORMED_AVRO("malformed Avro body") {
        @Override
        byte[] value(int n) {
            // LogEvent's header, then a string length of -1: no decoder gets past it.
            byte[] header = Arrays.copyOf(valid("malformed", n), HEADER_BYTES);
            byte[] body = ("\u0001" + n).getBytes(StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOf(header, HEADER_BYTES + body.length);
            System.arraycopy(body, 0, value, HEADER_BYTES, body.length);
            return value;
        }
    },
    TRUNCATED("malformed Avro body") {
        @Override
        byte[] value(int n) {
            byte[] whole = valid("truncated", n);
            return Arrays.copyOf(whole, whole.length / 2);
        }
    },
    FORGED_LENGTH("malformed Avro body") {
        @Override
        byte[] value(int n) {
            // LogEvent's header, then a customer_id claiming 2 GB in a value of a few bytes: a
            // reader that allocates what a length claims runs out of heap.
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            value.write(valid("forged-length", n), 0, HEADER_BYTES);
            try {
                BinaryEncoder body = EncoderFactory.get().binaryEncoder(value, null);
                body.writeLong(Integer.MAX_VALUE - 16L);
                body.writeString("forged " + n);
                body.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return value.toByteArray();
        }
    },
    UNKNOWN_FINGERPRINT("unknown schema fingerprint") {
        @Override
        byte[] value(int n) {
            byte[] value = valid("unknown-fingerprint", n);
            value[3] ^= 0x5a;
            return value;
        }
    },
    WRONG_TYPED_FIELDS("unknown schema fingerprint") {
        @Override
        byte[] value(int n) {
            GenericRecord record = new GenericData.Record(WRONG_TYPES);
            record.put("customer_id", 42L + n);
            record.put("dataset", "http_requests");
            record.put("timestamp_micros", "yesterday " + n);
            try {
                return bytes(
                        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), WRONG_TYPES)
                                .encode(record));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    },
    MISSING_CUSTOMER("customer_id is blank") {
        @Override
        byte[] value(int n) {
            return encode(event("", n));
        }
    },
    MISSING_DATASET("dataset is blank") {
        @Override
        byte[] value(int n) {
            LogEvent e = event("c0001", n);
            e.setDataset("");
            return encode(e);
        }
    },
    OVERSIZE("oversize record") {
        @Override
        byte[] value(int n) {
            LogEvent e = event(String.format("oversize-%06d", n), n);
            e.getFields().put("Padding", "x".repeat(OVERSIZE_BYTES));
            return encode(e);
        }
    };

    /** Marker (2 bytes) and fingerprint (8) of Avro single-object encoding. */
    static final int HEADER_BYTES = 10;

    /** The scenario's sluice.route.max-record-bytes, and the padding that exceeds it. */
    static final int MAX_RECORD_BYTES = 64 * 1024;

    static final int OVERSIZE_BYTES = 96 * 1024;

    /** A schema producers might have drifted to: a numeric customer, a text timestamp. */
    static final Schema WRONG_TYPES =
            new Schema.Parser()
                    .parse(
                            "{\"type\": \"record\", \"name\": \"LogEvent\", \"namespace\":"
                                    + " \"dev.sluice.schemas\", \"fields\": ["
                                    + "{\"name\": \"customer_id\", \"type\": \"long\"},"
                                    + "{\"name\": \"dataset\", \"type\": \"string\"},"
                                    + "{\"name\": \"timestamp_micros\", \"type\": \"string\"}]}");

    /** The start of the reason its dead letter must give. */
    final String reason;

    BadInput(String reason) {
        this.reason = reason;
    }

    /** The {@code n}-th bad value of this kind. */
    abstract byte[] value(int n);

    private static LogEvent event(String customer, int n) {
        return ChaosProducer.event(customer, n, Map.of("RecordId", "bad:" + n));
    }

    private static byte[] valid(String customer, int n) {
        return encode(event(customer, n));
    }

    private static byte[] encode(LogEvent event) {
        return SingleObjectEncoding.toBytes(event);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
