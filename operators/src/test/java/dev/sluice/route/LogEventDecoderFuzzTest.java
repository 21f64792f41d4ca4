package dev.sluice.route;

import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;
import dev.sluice.testing.AvroGarbage;
import dev.sluice.testing.GeneratedEvents;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever bytes a Kafka value holds, decoding gives a usable event or an {@link
 * UndecodableRecordException} with a reason: nothing else escapes, and nothing needs more memory
 * than the value's own size.
 */
class LogEventDecoderFuzzTest {

    /** One decoder for all tries, as a task has: state left by a bad value must not leak. */
    private final LogEventDecoder decoder = new LogEventDecoder();

    private final LogEvent reuse = new LogEvent();

    @Property(tries = 300)
    void anyBytesDecodeOrGetAReason(@ForAll("anyBytes") byte[] value) {
        assertDecodesOrRejects(value);
    }

    @Property(tries = 400)
    void mutatedEncodingsDecodeOrGetAReason(@ForAll("mutated") byte[] value) {
        assertDecodesOrRejects(value);
    }

    @Property(tries = 300)
    void structuredGarbageDecodesOrGetsAReason(@ForAll("garbage") byte[] value) {
        assertDecodesOrRejects(value);
    }

    /** A valid value decodes to its event, even right after a bad one left the reader mid-way. */
    @Property(tries = 200)
    void aValidValueDecodesAfterAnyOther(
            @ForAll("mutated") byte[] bad,
            @ForAll(supplier = GeneratedEvents.Events.class) LogEvent event)
            throws Exception {
        assertDecodesOrRejects(bad);
        byte[] value = SingleObjectEncoding.toBytes(event);
        LogEvent expected = LogEvent.getDecoder().decode(value);
        if (expected.getCustomerId().isBlank() || expected.getDataset().isBlank()) {
            return;
        }

        assertThat(decoder.decode(value, reuse)).isEqualTo(expected);
    }

    private void assertDecodesOrRejects(byte[] value) {
        LogEvent event;
        try {
            event = decoder.decode(value, reuse);
        } catch (UndecodableRecordException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(event.getCustomerId()).isNotBlank();
        assertThat(event.getDataset()).isNotBlank();
        Map<String, Object> fields = event.getFields();
        assertThat(fields).isNotNull();
        assertThat(fields.values())
                .allMatch(
                        v ->
                                v == null
                                        || v instanceof Boolean
                                        || v instanceof Long
                                        || v instanceof Double
                                        || v instanceof String);
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.just(null),
                Arbitraries.just(new byte[0]),
                // The right marker and fingerprint, then anything.
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMaxSize(64)
                        .map(CurrentSchemaReaderTest::withHeader));
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return GeneratedEvents.mutatedValues();
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return AvroGarbage.bodies();
    }
}
