package dev.sluice.route;

import dev.sluice.testing.TestSchemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record of another writer schema whose body claims a string far longer than itself is a dead
 * letter, not an allocation of what it claims.
 */
class ResolvedRecordLimitsTest {

    @Test
    void aStringClaimingMoreThanTheRecordHoldsIsMalformed() {
        Schema newer = new Schema.Parser().parse(TestSchemas.NEWER);
        LogEventDecoder decoder = new LogEventDecoder();
        decoder.add(SchemaNormalization.parsingFingerprint64(newer), newer);
        byte[] value = TestSchemas.encoded(TestSchemas.NEWER, "acme", T0_MICROS, Map.of());
        // The body starts with customer_id's length, a zig-zag varint: claim 2^31 - 9 bytes,
        // the most Avro's own limit lets through.
        byte[] claim = {(byte) 0xEE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
        byte[] forged = new byte[value.length + claim.length - 1];
        System.arraycopy(value, 0, forged, 0, 10);
        System.arraycopy(claim, 0, forged, 10, claim.length);
        System.arraycopy(value, 11, forged, 10 + claim.length, value.length - 11);

        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(forged, forged.length), null))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageStartingWith("malformed Avro body");
    }
}
