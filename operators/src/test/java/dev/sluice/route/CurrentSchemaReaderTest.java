package dev.sluice.route;

import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurrentSchemaReaderTest {

    private static final List<String> NAMES =
            List.of(
                    "ClientIP",
                    "EdgeResponseStatus",
                    "ClientRequestHost",
                    "CacheCacheStatus",
                    "OriginResponseTime",
                    "BotScore",
                    "WAFFlags",
                    "ClientCountry",
                    "Ünïcödé",
                    "");

    @Test
    void followsTheCurrentSchema() {
        assertThat(CurrentSchemaReader.APPLIES)
                .as(
                        "LogEvent's schema changed (fingerprint %d): CurrentSchemaReader must"
                                + " follow its layout, then READS_FINGERPRINT",
                        CurrentSchemaReader.FINGERPRINT)
                .isTrue();
    }

    @Test
    void readsEveryEventAsAvroDoesIntoOneReusedEvent() throws IOException {
        Random random = new Random(7);
        CurrentSchemaReader reader = new CurrentSchemaReader();
        LogEvent reused = new LogEvent();
        for (int i = 0; i < 2_000; i++) {
            byte[] value = SingleObjectEncoding.toBytes(randomEvent(random));

            assertThat(CurrentSchemaReader.reads(value)).isTrue();
            LogEvent expected = LogEvent.getDecoder().decode(value);
            assertThat(reader.read(value, reused)).isEqualTo(expected);
        }
        assertThat(reader.names()).isEqualTo(NAMES.size() + 2);
    }

    @Test
    void readsMapsWrittenInSeveralBlocksWithByteSizes() throws IOException {
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            fields.put("field" + i, i % 2 == 0 ? "value " + i : (Object) (long) i);
        }
        LogEvent event = event("acme", fields);
        // A blocking encoder writes a long map as blocks of negative count and a byte size, as
        // writers that let readers skip may do; the default encoder never does.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder blocking =
                new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(body, null);
        new SpecificDatumWriter<>(LogEvent.class).write(event, blocking);
        blocking.flush();
        byte[] value = withHeader(body.toByteArray());

        assertThat(value).isNotEqualTo(SingleObjectEncoding.toBytes(event));
        assertThat(new CurrentSchemaReader().read(value, new LogEvent())).isEqualTo(event);
    }

    @Test
    void readsANameUnlikeTheOneAtItsPositionLastTime() throws IOException {
        CurrentSchemaReader reader = new CurrentSchemaReader();
        LogEvent reused = new LogEvent();
        LogEvent first = event("acme", Map.of("BotScore", (Object) 1L));
        LogEvent sameLength = event("acme", Map.of("WAFFlags", (Object) 2L));
        LogEvent longer = event("acme", Map.of("BotScores", (Object) 3L));

        assertThat(reader.read(SingleObjectEncoding.toBytes(first), reused)).isEqualTo(first);
        assertThat(reader.read(SingleObjectEncoding.toBytes(sameLength), reused))
                .isEqualTo(sameLength);
        assertThat(reader.read(SingleObjectEncoding.toBytes(longer), reused)).isEqualTo(longer);
        assertThat(reader.read(SingleObjectEncoding.toBytes(first), reused)).isEqualTo(first);
    }

    @Test
    void keepsABoundedTableOfNames() throws IOException {
        CurrentSchemaReader reader = new CurrentSchemaReader();
        LogEvent reused = new LogEvent();
        for (int i = 0; i < CurrentSchemaReader.MAX_NAMES + 500; i++) {
            LogEvent event = event("acme", Map.of("made-up-" + i, (Object) "x"));
            byte[] value = SingleObjectEncoding.toBytes(event);

            assertThat(reader.read(value, reused)).isEqualTo(event);
        }
        assertThat(reader.names()).isEqualTo(CurrentSchemaReader.MAX_NAMES);
    }

    @Test
    void leavesOtherSchemasAndHeadersToAvro() {
        byte[] value = SingleObjectEncoding.toBytes(event("acme", Map.of()));
        byte[] otherFingerprint = value.clone();
        otherFingerprint[5] ^= 0x11;
        byte[] otherMarker = value.clone();
        otherMarker[0] = 0;

        assertThat(CurrentSchemaReader.reads(otherFingerprint)).isFalse();
        assertThat(CurrentSchemaReader.reads(otherMarker)).isFalse();
        assertThat(CurrentSchemaReader.reads(Arrays.copyOf(value, 9))).isFalse();
    }

    @Test
    void aCutBodyFailsToDecode() {
        byte[] value =
                SingleObjectEncoding.toBytes(
                        event("acme", Map.of("ClientIP", (Object) "192.0.2.7")));
        byte[] cut = Arrays.copyOf(value, value.length - 3);

        assertThatThrownBy(() -> new LogEventDecoder().decode(cut, new LogEvent()))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageStartingWith("malformed Avro body");
    }

    @Test
    void aForgedStringLengthIsADeadLetterNotAnAllocation() throws IOException {
        byte[] valid = SingleObjectEncoding.toBytes(event("acme", Map.of()));
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        forged.write(valid, 0, CurrentSchemaReader.HEADER_BYTES);
        BinaryEncoder body = EncoderFactory.get().binaryEncoder(forged, null);
        // customer_id claims 2 GB in a value of a few hundred bytes.
        body.writeLong(Integer.MAX_VALUE - 16L);
        body.flush();
        forged.write(new byte[200]);

        assertThatThrownBy(() -> new LogEventDecoder().decode(forged.toByteArray(), new LogEvent()))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageStartingWith("malformed Avro body")
                .hasMessageContaining("longer than its record's body");
    }

    private static LogEvent randomEvent(Random random) {
        Map<String, Object> fields = new HashMap<>();
        int n = random.nextInt(NAMES.size() + 1);
        for (int i = 0; i < n; i++) {
            fields.put(NAMES.get(random.nextInt(NAMES.size())), randomValue(random));
        }
        return LogEvent.newBuilder()
                .setCustomerId("customer-" + random.nextInt(50) + (random.nextBoolean() ? "é" : ""))
                .setDataset(random.nextBoolean() ? "http_requests" : "firewall_events")
                .setTimestampMicros(random.nextLong())
                .setFields(fields)
                .build();
    }

    private static Object randomValue(Random random) {
        switch (random.nextInt(5)) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return random.nextLong();
            case 3:
                return random.nextBoolean() ? random.nextDouble() * 1e6 : Double.NaN;
            default:
                return "v" + random.nextInt(1_000) + (random.nextBoolean() ? " ✓ \"q\"" : "");
        }
    }

    private static LogEvent event(String customer, Map<String, Object> fields) {
        return LogEvent.newBuilder()
                .setCustomerId(customer)
                .setDataset("http_requests")
                .setTimestampMicros(1_731_579_300_000_000L)
                .setFields(new HashMap<>(fields))
                .build();
    }

    /** {@code body} behind the single-object header of the current schema. */
    static byte[] withHeader(byte[] body) {
        byte[] value = new byte[CurrentSchemaReader.HEADER_BYTES + body.length];
        value[0] = (byte) 0xC3;
        value[1] = (byte) 0x01;
        long fingerprint = CurrentSchemaReader.FINGERPRINT;
        for (int i = 2; i < CurrentSchemaReader.HEADER_BYTES; i++) {
            value[i] = (byte) fingerprint;
            fingerprint >>>= 8;
        }
        System.arraycopy(body, 0, value, CurrentSchemaReader.HEADER_BYTES, body.length);
        return value;
    }
}
