package dev.sluice.buffer;

import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchOpened;
import dev.sluice.testing.TestConfigs;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer tells the jobs' status when each batch opens: one event per batch, none per record.
 */
class BatchOpenedTest {

    private static final long JOB = 7;
    private static final long MAX_RECORDS = 1_000;

    @Test
    void eachBatchOpensOnceWithItsSequenceAndTime() throws Exception {
        String config = TestConfigs.version(1).job(JOB, "acme", true, MAX_RECORDS).json();
        try (var h = BufferHarness.of(config, BufferSettings.defaults())) {
            h.open();
            h.setProcessingTime(5_000);
            for (int i = 0; i < MAX_RECORDS; i++) {
                h.processElement1(record(i), 0);
            }
            h.setProcessingTime(6_000);
            h.processElement1(record(0), 0);
            h.processElement1(record(1), 0);

            assertThat(opened(h))
                    .containsExactly(
                            new BatchOpened(JOB, 0, 5_000), new BatchOpened(JOB, 1, 6_000));
        }
    }

    private static RoutedRecord record(int i) {
        return new RoutedRecord(
                JOB, T0_MICROS + i, ("{\"n\":" + i + "}\n").getBytes(StandardCharsets.UTF_8));
    }

    private static List<BatchOpened> opened(
            KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, ?> h) {
        return h.getSideOutput(BufferOperator.BATCHES_OPENED).stream()
                .map(StreamRecord::getValue)
                .toList();
    }
}
