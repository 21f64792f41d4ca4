package dev.sluice.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Kafka values as producers write them: Avro single-object encoding (marker, fingerprint, body).
 */
public final class SingleObjectEncoding {

    private SingleObjectEncoding() {}

    /** The event's single-object encoding as exactly sized bytes. */
    public static byte[] toBytes(LogEvent event) {
        try {
            ByteBuffer buffer = event.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot encode " + event.getCustomerId() + "'s event", e);
        }
    }
}
