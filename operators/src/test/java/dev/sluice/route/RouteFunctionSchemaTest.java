package dev.sluice.route;

import dev.sluice.config.ConfigHolder;
import dev.sluice.config.StartConfig;
import dev.sluice.schemas.SingleObjectEncoding;
import dev.sluice.testing.TestConfigs;
import dev.sluice.testing.TestSchemas;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static dev.sluice.testing.TestEvents.encoded;
import static org.assertj.core.api.Assertions.assertThat;

/** Writer schemas from the schema topic: reviewed, used, kept in state across a restore. */
class RouteFunctionSchemaTest {

    private static final String START = TestConfigs.version(1).job(11, "acme").json();

    private static final Map<String, Object> FIELDS = Map.of("EdgeResponseStatus", 200L);

    private static final byte[] NEWER =
            TestSchemas.encoded(TestSchemas.NEWER, "acme", T0_MICROS, FIELDS);

    private static final byte[] OLDER =
            TestSchemas.encoded(TestSchemas.OLDER, "acme", T0_MICROS, FIELDS);

    private static BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> router()
            throws Exception {
        return new BroadcastOperatorTestHarness<>(
                new RouteOperator(new RouteFunction(new ConfigHolder(StartConfig.inline(START)))),
                1,
                1,
                0);
    }

    @Test
    void deadLettersARecordOfAnUnknownSchemaWithItsFingerprint() throws Exception {
        try (var h = router()) {
            h.open();
            h.processElement(NEWER, 0);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(reasons(h))
                    .containsExactly(
                            "unknown schema fingerprint "
                                    + SingleObjectEncoding.hex(
                                            SingleObjectEncoding.fingerprint(NEWER)));
        }
    }

    @Test
    void decodesNewerAndOlderSchemasOnceTheyArePublished() throws Exception {
        try (var h = router()) {
            h.open();
            h.processBroadcastElement(RouteUpdate.schema(TestSchemas.NEWER), 0);
            h.processBroadcastElement(RouteUpdate.schema(TestSchemas.OLDER), 0);
            // A record of the current schema first: Avro then resolves the newer one into the
            // reused event's map as the fast path left it.
            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            h.processElement(NEWER, 0);
            h.processElement(OLDER, 0);
            h.processElement(encoded("acme", T0_MICROS, 200), 0);

            assertThat(lines(h))
                    .containsExactly(
                            "{\"timestamp\":1731579300000000000,\"ClientIP\":\"192.0.2.7\","
                                    + "\"EdgeResponseStatus\":200}\n",
                            "{\"timestamp\":1731579300000000000,\"ClientIP\":null,"
                                    + "\"EdgeResponseStatus\":200}\n",
                            // The reader's default for the older schema's missing map: no field
                            // of the record decoded before leaks into it.
                            "{\"timestamp\":1731579300000000000,\"ClientIP\":null,"
                                    + "\"EdgeResponseStatus\":null}\n",
                            "{\"timestamp\":1731579300000000000,\"ClientIP\":\"192.0.2.7\","
                                    + "\"EdgeResponseStatus\":200}\n");
            assertThat(h.getSideOutput(RouteFunction.DEAD_LETTERS)).isNull();
        }
    }

    @Test
    void rejectsIncompatibleAndUnparsableSchemasAndKeepsGoing() throws Exception {
        try (var h = router()) {
            h.open();
            h.processBroadcastElement(RouteUpdate.schema(TestSchemas.INCOMPATIBLE), 0);
            h.processBroadcastElement(RouteUpdate.schema("{not json"), 0);
            h.processBroadcastElement(RouteUpdate.schema(null), 0);
            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            OperatorSubtaskState snapshot = h.snapshot(1, 1);

            assertThat(h.extractOutputValues()).hasSize(1);
            try (var restored = router()) {
                restored.initializeState(snapshot);
                restored.open();
                assertThat(restored.getBroadcastState(WriterSchemas.STATE).immutableEntries())
                        .isEmpty();
            }
        }
    }

    @Test
    void aRestoreKeepsThePublishedSchemasKnown() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = router()) {
            h.open();
            h.processBroadcastElement(RouteUpdate.schema(TestSchemas.NEWER), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = router()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(NEWER, 0);

            assertThat(restored.extractOutputValues())
                    .extracting(r -> r.jobId)
                    .containsExactly(11L);
            assertThat(restored.getSideOutput(RouteFunction.DEAD_LETTERS)).isNull();
        }
    }

    private static List<String> reasons(
            BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> h) {
        return h.getSideOutput(RouteFunction.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue)
                .map(d -> d.reason)
                .collect(Collectors.toList());
    }

    private static List<String> lines(
            BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> h) {
        return h.extractOutputValues().stream()
                .map(r -> new String(r.line, StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }
}
