package dev.sluice.route;

import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.avro.Schema;

import java.util.List;

/**
 * What the router makes of a writer schema offered on the schema topic: accepted, with its
 * fingerprint and how it differs from the reader schema, or rejected with the reason.
 *
 * @param schema the parsed writer schema; null when rejected
 * @param fingerprint its parsing fingerprint; 0 when it did not parse
 * @param reason why it was rejected; null when accepted
 * @param differences what the reader does with each field the two schemas do not share alike
 */
public record WriterSchemaVerdict(
        Schema schema, long fingerprint, String reason, List<String> differences) {

    static WriterSchemaVerdict accepted(Schema schema, long fingerprint, List<String> differences) {
        return new WriterSchemaVerdict(schema, fingerprint, null, List.copyOf(differences));
    }

    static WriterSchemaVerdict rejected(long fingerprint, String reason) {
        return new WriterSchemaVerdict(null, fingerprint, reason, List.of());
    }

    public boolean isAccepted() {
        return reason == null;
    }

    /** The fingerprint as messages and commands show it. */
    public String fingerprintHex() {
        return SingleObjectEncoding.hex(fingerprint);
    }
}
