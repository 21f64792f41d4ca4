package dev.sluice.route;

import dev.sluice.config.ActiveConfig;
import dev.sluice.config.ConfigHolder;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.StartConfig;
import dev.sluice.config.filter.RecordFilter;
import dev.sluice.testing.TestConfigs;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static dev.sluice.testing.TestEvents.encoded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job whose filter, sampler or encoder throws on a record fails that record for that job only.
 */
class RouteFunctionJobFailureTest {

    private static final String START = jobs(1);

    private static final RecordFilter FAILING =
            event -> {
                throw new IllegalStateException("filter bug on " + event.getCustomerId());
            };

    @Test
    void deadLettersTheRecordForTheFailingJobAndDeliversItToTheOthers() throws Exception {
        RouteFunction function = function();
        try (var h = harness(function, job -> job.id() == 11 ? FAILING : job.compileFilter())) {
            byte[] value = encoded("acme", T0_MICROS, 200);

            h.processElement(value, 0);
            h.processElement(value, 0);
            h.processElement(encoded("initech", T0_MICROS, 200), 0);

            assertThat(h.extractOutputValues())
                    .extracting(r -> r.jobId)
                    .containsExactly(12L, 12L, 21L);
            List<DeadLetter> letters = deadLetters(h);
            assertThat(letters).hasSize(2);
            assertThat(letters.get(0).reason)
                    .isEqualTo(
                            "job 11: its filter failed: java.lang.IllegalStateException:"
                                    + " filter bug on acme");
            assertThat(letters.get(0).payload).isEqualTo(value);
            assertThat(function.getRuntimeContext().getAccumulator(RouteFunction.FAILED_BY_JOB))
                    .extracting(a -> a.getLocalValue())
                    .isEqualTo(Map.of("11", 2L));
        }
    }

    /** A job whose filter cannot even be built fails its own records; the table builds on. */
    @Test
    void aJobWhoseFilterCannotBeBuiltFailsOnlyItsOwnRecords() throws Exception {
        Function<DeliveryJob, RecordFilter> unbuildable =
                job -> {
                    if (job.id() == 11) {
                        throw new IllegalArgumentException("no such field: ClientIPP");
                    }
                    return job.compileFilter();
                };
        try (var h = harness(function(), unbuildable)) {
            h.processElement(encoded("acme", T0_MICROS, 200), 0);
            h.processElement(encoded("initech", T0_MICROS, 200), 0);

            assertThat(h.extractOutputValues()).extracting(r -> r.jobId).containsExactly(12L, 21L);
            assertThat(deadLetters(h))
                    .singleElement()
                    .satisfies(
                            d ->
                                    assertThat(d.reason)
                                            .startsWith("job 11: its filter failed: ")
                                            .contains("could not be built")
                                            .contains("no such field: ClientIPP"));
        }
    }

    @Test
    void keepsTheReasonShortWhateverTheExceptionSays() throws Exception {
        RecordFilter failing =
                event -> {
                    throw new IllegalArgumentException("x".repeat(100_000));
                };
        try (var h = harness(function(), job -> failing)) {

            h.processElement(encoded("initech", T0_MICROS, 200), 0);

            assertThat(deadLetters(h))
                    .singleElement()
                    .satisfies(
                            d ->
                                    assertThat(d.reason)
                                            .startsWith("job 21: its filter failed: ")
                                            .hasSizeLessThan(
                                                    RouteFunction.FAILURE_TEXT_KEPT_CHARS + 40));
        }
    }

    @Test
    void anAcceptedConfigReplacesTheTableAndItsFailures() throws Exception {
        try (var h = harness(function(), job -> FAILING)) {
            h.processElement(encoded("acme", T0_MICROS, 200), 0);

            h.processBroadcastElement(RouteUpdate.config(jobs(2)), 0);
            h.processElement(encoded("acme", T0_MICROS, 200), 0);

            assertThat(deadLetters(h)).hasSize(2);
            assertThat(h.extractOutputValues()).extracting(r -> r.jobId).containsExactly(11L, 12L);
        }
    }

    /** Jobs 11 and 12 of acme and 21 of initech, at {@code version}. */
    private static String jobs(int version) {
        return TestConfigs.version(version)
                .job(11, "acme")
                .job(12, "acme")
                .job(21, "initech")
                .json();
    }

    private static RouteFunction function() {
        return new RouteFunction(new ConfigHolder(StartConfig.inline(START)));
    }

    /** An open harness of {@code function}, routing the start config with these filters. */
    private static BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> harness(
            RouteFunction function, Function<DeliveryJob, RecordFilter> filters) throws Exception {
        var h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        function, ConfigHolder.CONFIG_STATE);
        function.use(new RoutingTable(ActiveConfig.parse(START), filters));
        return h;
    }

    private static List<DeadLetter> deadLetters(
            BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> h) {
        var letters = h.getSideOutput(RouteFunction.DEAD_LETTERS);
        return letters == null ? List.of() : letters.stream().map(StreamRecord::getValue).toList();
    }
}
