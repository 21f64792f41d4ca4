package dev.sluice.route;

import dev.sluice.config.ConfigHolder;
import dev.sluice.config.ConfigStateCodec;
import dev.sluice.config.StartConfig;
import dev.sluice.testing.TestConfigs;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static dev.sluice.testing.TestEvents.encoded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteFunctionTest {

    private static final String START =
            TestConfigs.version(1)
                    .job(11, "acme")
                    .job(12, "acme")
                    .job(13, "globex", false, 0)
                    .json();

    private static BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> harness()
            throws Exception {
        return harness(START);
    }

    /** A harness of a router that starts on {@code config}. */
    private static BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> harness(
            String config) throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new RouteFunction(new ConfigHolder(StartConfig.inline(config))),
                ConfigHolder.CONFIG_STATE);
    }

    @Test
    void dropsRecordsOfUnconfiguredAndDisabledCustomers() throws Exception {
        try (var h = harness()) {
            h.processElement(encoded("initech", T0_MICROS, 200), 0);
            h.processElement(encoded("globex", T0_MICROS, 200), 0);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(RouteFunction.DEAD_LETTERS)).isNull();
        }
    }

    @Test
    void fansOutARecordToEveryEnabledJobOfItsCustomer() throws Exception {
        try (var h = harness()) {
            h.processElement(encoded("acme", T0_MICROS, 404), 0);

            List<RoutedRecord> out = h.extractOutputValues();
            assertThat(out).extracting(r -> r.jobId).containsExactly(11L, 12L);
            assertThat(new String(out.get(0).line, StandardCharsets.UTF_8))
                    .isEqualTo(
                            "{\"timestamp\":1731579300000000000,\"ClientIP\":\"192.0.2.7\","
                                    + "\"EdgeResponseStatus\":404}\n");
            assertThat(out.get(0).timestampMicros).isEqualTo(T0_MICROS);
        }
    }

    @Test
    void sendsUndecodableValuesToDeadLettersWithAReason() throws Exception {
        try (var h = harness()) {
            byte[] valid = encoded("acme", T0_MICROS, 200);
            byte[] unknownFingerprint = valid.clone();
            unknownFingerprint[3] ^= 0x5a;
            byte[] truncated = java.util.Arrays.copyOf(valid, 12);

            h.processElement("not avro".getBytes(StandardCharsets.UTF_8), 0);
            h.processElement(unknownFingerprint, 0);
            h.processElement(truncated, 0);

            assertThat(h.extractOutputValues()).isEmpty();
            List<String> reasons =
                    h.getSideOutput(RouteFunction.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .map(d -> d.reason)
                            .collect(Collectors.toList());
            assertThat(reasons)
                    .containsExactly(
                            "not Avro single-object encoding: bad header",
                            "unknown schema fingerprint "
                                    + dev.sluice.schemas.SingleObjectEncoding.hex(
                                            dev.sluice.schemas.SingleObjectEncoding.fingerprint(
                                                    unknownFingerprint)),
                            reasons.get(2));
            assertThat(reasons.get(2)).startsWith("malformed Avro body");
        }
    }

    /** A time no timestamp format can write (unixnano would wrap) is the forwarder's error. */
    @Test
    void deadLettersAnEventTimeBeyondWhatNanosecondsCanCarry() throws Exception {
        try (var h = harness()) {
            h.processElement(encoded("acme", Long.MAX_VALUE / 1000 + 1, 200), 0);
            h.processElement(encoded("acme", Long.MIN_VALUE, 200), 0);
            h.processElement(encoded("acme", Long.MAX_VALUE / 1000, 200), 0);

            assertThat(h.extractOutputValues())
                    .as("the last time that fits, to both of acme's jobs")
                    .hasSize(2);
            assertThat(h.getSideOutput(RouteFunction.DEAD_LETTERS))
                    .extracting(r -> r.getValue().reason)
                    .hasSize(2)
                    .allMatch(r -> r.startsWith("timestamp_micros ") && r.contains("1677 to 2262"));
        }
    }

    @Test
    void sendsRecordsOverTheMaximumSizeToDeadLettersCutToTheirFirstKilobyte() throws Exception {
        byte[] fits = encoded("acme", T0_MICROS, 200);
        byte[] oversize = new byte[fits.length + 2000];
        System.arraycopy(fits, 0, oversize, 0, fits.length);
        try (var h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new RouteFunction(new ConfigHolder(StartConfig.inline(START)), fits.length),
                        ConfigHolder.CONFIG_STATE)) {
            h.processElement(fits, 0);
            h.processElement(oversize, 0);

            assertThat(h.extractOutputValues()).extracting(r -> r.jobId).containsExactly(11L, 12L);
            List<DeadLetter> letters =
                    h.getSideOutput(RouteFunction.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .collect(Collectors.toList());
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).reason)
                    .isEqualTo(
                            "oversize record: "
                                    + oversize.length
                                    + " bytes, more than sluice.route.max-record-bytes ("
                                    + fits.length
                                    + "); payload cut to its first 1024 bytes");
            assertThat(letters.get(0).payload).isEqualTo(java.util.Arrays.copyOf(oversize, 1024));
        }
    }

    @Test
    void appliesANewerSnapshotAndIgnoresOlderOrInvalidOnes() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(
                    RouteUpdate.config(
                            TestConfigs.version(2)
                                    .job(11, "acme")
                                    .job(12, "acme")
                                    .job(21, "initech")
                                    .json()),
                    0);
            h.processBroadcastElement(
                    RouteUpdate.config(TestConfigs.version(1).job(31, "globex").json()), 0);
            h.processBroadcastElement(RouteUpdate.config("{\"version\":3,\"jobs\":[]}"), 0);

            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            h.processElement(encoded("initech", T0_MICROS, 200), 0);
            h.processElement(encoded("globex", T0_MICROS, 200), 0);

            assertThat(h.extractOutputValues())
                    .extracting(r -> r.jobId)
                    .containsExactly(11L, 12L, 21L);
            assertThat(
                            ConfigStateCodec.read(
                                            h.getBroadcastState(ConfigHolder.CONFIG_STATE)
                                                    .get(ConfigHolder.SNAPSHOT_KEY))
                                    .version())
                    .isEqualTo(2);
        }
    }

    /** The incident: a blank snapshot, then one that drops every job, while records flow. */
    @Test
    void keepsRoutingWhenABlankOrMassDisablingSnapshotArrives() throws Exception {
        try (var h = harness()) {
            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            h.processBroadcastElement(RouteUpdate.config("{\"version\":7,\"jobs\":[]}"), 0);
            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            h.processBroadcastElement(
                    RouteUpdate.config(TestConfigs.version(8).job(99, "initech").json()), 0);
            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            h.processElement(encoded("initech", T0_MICROS, 200), 0);

            assertThat(h.extractOutputValues())
                    .extracting(r -> r.jobId)
                    .containsExactly(11L, 12L, 11L, 12L, 11L, 12L);
            assertThat(
                            h.getBroadcastState(ConfigHolder.CONFIG_STATE)
                                    .get(ConfigHolder.SNAPSHOT_KEY))
                    .isNull();
        }
    }

    @Test
    void aForcedSnapshotPassesTheGuard() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(
                    RouteUpdate.config(TestConfigs.version(8).job(99, "initech").forced().json()),
                    0);
            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            h.processElement(encoded("initech", T0_MICROS, 200), 0);

            assertThat(h.extractOutputValues()).extracting(r -> r.jobId).containsExactly(99L);
        }
    }

    @Test
    void aRestoreKeepsTheLastAcceptedConfigNotTheStartConfig() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.processBroadcastElement(
                    RouteUpdate.config(
                            "{\"version\":2,\"upsert\":{\"id\":21,\"customer_id\":\"initech\","
                                + "\"dataset\":\"http_requests\",\"destination_conf\":\"s3://logs-bucket/i\"}}"),
                    0);
            snapshot = h.snapshot(1, 1);
        }
        try (var restored =
                new BroadcastOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.co
                                .CoBroadcastWithNonKeyedOperator<>(
                                new RouteFunction(new ConfigHolder(StartConfig.inline(START))),
                                List.of(ConfigHolder.CONFIG_STATE)),
                        1,
                        1,
                        0)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(encoded("initech", T0_MICROS, 200), 0);
            restored.processElement(encoded("acme", T0_MICROS, 200), 0);

            assertThat(restored.extractOutputValues())
                    .extracting(r -> r.jobId)
                    .containsExactly(21L, 11L, 12L);
        }
    }

    /**
     * A job started from {@code --config} that never took an update: its snapshot must still hold
     * the config, so an upgrade from the savepoint starts without {@code --config}.
     */
    @Test
    void aSnapshotHoldsTheStartConfigSoARestoreNeedsNoConfigFile() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = routeOperator(START)) {
            h.open();
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = routeOperator(null)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(encoded("acme", T0_MICROS, 200), 0);

            assertThat(restored.extractOutputValues())
                    .extracting(r -> r.jobId)
                    .containsExactly(11L, 12L);
        }
    }

    /** Fail closed: a router that cannot read its start config never starts routing. */
    @Test
    void doesNotOpenWithoutItsStartConfigFile() throws Exception {
        StartConfig missing = StartConfig.cachedFile("0".repeat(64));
        try (var h =
                new BroadcastOperatorTestHarness<>(
                        new RouteOperator(new RouteFunction(new ConfigHolder(missing))), 1, 1, 0)) {
            assertThatThrownBy(h::open)
                    .hasMessageContaining(StartConfig.cacheEntryName("0".repeat(64)));
        }
    }

    private static BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> routeOperator(
            String startConfig) throws Exception {
        return new BroadcastOperatorTestHarness<>(
                new RouteOperator(
                        new RouteFunction(
                                new ConfigHolder(
                                        startConfig == null
                                                ? null
                                                : StartConfig.inline(startConfig)))),
                1,
                1,
                0);
    }

    @Test
    void samplesDeterministicallyAndWritesEachJobInItsOwnFormat() throws Exception {
        String config =
                TestConfigs.version(1)
                        .rawJob(
                                "{\"id\":41,\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                                    + "\"destination_conf\":\"s3://logs-bucket/a\",\"output_options\":{\"output_type\":\"csv\","
                                    + "\"field_names\":[\"ClientIP\",\"EdgeResponseStatus\"]}}")
                        .rawJob(
                                "{\"id\":42,\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                                    + "\"destination_conf\":\"s3://logs-bucket/b\",\"output_options\":{\"sample_rate\":0.5}}")
                        .json();
        try (var h = harness(config)) {
            for (int i = 0; i < 1_000; i++) {
                h.processElement(encoded("acme", T0_MICROS + i, 200), 0);
            }
            for (int i = 0; i < 1_000; i++) {
                h.processElement(encoded("acme", T0_MICROS + i, 200), 0);
            }

            List<RoutedRecord> out = h.extractOutputValues();
            List<RoutedRecord> csv =
                    out.stream().filter(r -> r.jobId == 41).collect(Collectors.toList());
            List<RoutedRecord> sampled =
                    out.stream().filter(r -> r.jobId == 42).collect(Collectors.toList());
            assertThat(csv).hasSize(2_000);
            assertThat(new String(csv.get(0).line, StandardCharsets.UTF_8))
                    .isEqualTo("192.0.2.7,200\n");
            assertThat(sampled.size()).isBetween(800, 1_200).isEven();
            assertThat(sampled.subList(0, sampled.size() / 2))
                    .extracting(r -> r.timestampMicros)
                    .containsExactlyElementsOf(
                            sampled.subList(sampled.size() / 2, sampled.size()).stream()
                                    .map(r -> r.timestampMicros)
                                    .collect(Collectors.toList()));
        }
    }

    @Test
    void filtersBeforeSamplingAndEncoding() throws Exception {
        String filter =
                "{\\\"where\\\":{\\\"key\\\":\\\"EdgeResponseStatus\\\",\\\"operator\\\":\\\"geq\\\",\\\"value\\\":500}}";
        String config =
                TestConfigs.version(1)
                        .rawJob(
                                "{\"id\":51,\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                                    + "\"destination_conf\":\"s3://logs-bucket/a\",\"filter\":\""
                                        + filter
                                        + "\"}")
                        .json();
        try (var h = harness(config)) {
            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            h.processElement(encoded("acme", T0_MICROS, 503), 0);
            h.processElement(encoded("acme", T0_MICROS, 404), 0);

            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(new String(r.line, StandardCharsets.UTF_8))
                                            .contains("503"));
        }
    }
}
