package dev.sluice.buffer;

import dev.sluice.buffer.BufferHarness.Delivered;
import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchChunk;
import dev.sluice.testing.Gzip;
import dev.sluice.testing.TestConfigs;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-subtask caps: reaching one delivers batches early, and nothing is lost. */
class BufferCapsTest {

    private static RoutedRecord record(long job, int i) {
        String line = "{\"job\":" + job + ",\"n\":" + i + "}\n";
        return new RoutedRecord(job, T0_MICROS + i, line.getBytes(StandardCharsets.UTF_8));
    }

    /** Random bytes: they do not compress, so what a batch holds is what it was given. */
    private static RoutedRecord incompressible(long job, int size, Random random) {
        byte[] line = new byte[size];
        random.nextBytes(line);
        line[size - 1] = '\n';
        return new RoutedRecord(job, T0_MICROS, line);
    }

    private static String configOf(int jobs) {
        TestConfigs config = TestConfigs.version(1);
        for (long job = 1; job <= jobs; job++) {
            config.job(job, "c" + job);
        }
        return config.json();
    }

    private static void endInput(
            org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness<
                            Long, RoutedRecord, String, BatchChunk>
                    h)
            throws Exception {
        h.processWatermark1(new Watermark(Long.MAX_VALUE));
        h.processWatermark2(new Watermark(Long.MAX_VALUE));
    }

    @Test
    void theActiveJobsCapDeliversTheOldestBatchEarly() throws Exception {
        BufferSettings settings = BufferSettings.defaults().withMaxActiveJobs(3);
        try (var h = BufferHarness.of(configOf(4), settings)) {
            h.open();
            for (long job = 1; job <= 3; job++) {
                h.processElement1(record(job, 0), 0);
                h.processElement1(record(job, 1), 0);
            }
            assertThat(h.extractOutputValues()).isEmpty();

            h.processElement1(record(4, 0), 0);

            List<Delivered> early = BufferHarness.batches(h.extractOutputValues());
            assertThat(early)
                    .extracting(b -> b.header().jobId + ":" + b.header().flushReason)
                    .containsExactly("1:ACTIVE_JOBS_CAP");
            assertThat(Gzip.lines(early.get(0).object()))
                    .containsExactly("{\"job\":1,\"n\":0}", "{\"job\":1,\"n\":1}");
            assertThat(((BufferOperator) h.getOperator()).activeJobs()).isEqualTo(3);
        }
    }

    @Test
    void theBytesCapDeliversTheLargestBatchesEarly() throws Exception {
        long cap = 1024 * 1024;
        BufferSettings settings =
                BufferSettings.defaults().withChunkBytes(64 * 1024).withMaxBytes(cap);
        Random random = new Random(42);
        try (var h = BufferHarness.of(configOf(3), settings)) {
            h.open();
            BufferOperator operator = (BufferOperator) h.getOperator();
            for (int i = 0; i < 60; i++) {
                h.processElement1(incompressible(1, 10_000, random), 0);
            }
            for (int i = 0; i < 30; i++) {
                h.processElement1(incompressible(2, 10_000, random), 0);
            }
            assertThat(h.extractOutputValues()).isEmpty();

            for (int i = 0; i < 20; i++) {
                h.processElement1(incompressible(3, 10_000, random), 0);
                assertThat(operator.bufferedBytes()).isLessThanOrEqualTo(cap);
            }

            assertThat(BufferHarness.batches(h.extractOutputValues()))
                    .extracting(b -> b.header().jobId + ":" + b.header().flushReason)
                    .containsExactly("1:BYTES_CAP");
        }
    }

    @Test
    void capsHoldUnderAFloodOfDistinctJobsAndEveryRecordIsDelivered() throws Exception {
        int jobs = 100_000;
        int maxActive = 1_000;
        long maxBytes = 2 * 1024 * 1024;
        BufferSettings settings =
                BufferSettings.defaults()
                        .withChunkBytes(64 * 1024)
                        .withMaxActiveJobs(maxActive)
                        .withMaxBytes(maxBytes);
        try (var h = BufferHarness.of(configOf(jobs), settings)) {
            h.open();
            BufferOperator operator = (BufferOperator) h.getOperator();
            int peakActive = 0;
            for (long job = 1; job <= jobs; job++) {
                h.processElement1(record(job, 0), 0);
                peakActive = Math.max(peakActive, operator.activeJobs());
                assertThat(operator.bufferedBytes()).isLessThanOrEqualTo(maxBytes);
            }
            assertThat(peakActive).isEqualTo(maxActive);
            endInput(h);

            List<Delivered> batches = BufferHarness.batches(h.extractOutputValues());
            Map<Long, Long> recordsByJob = new HashMap<>();
            Map<String, Integer> reasons = new HashMap<>();
            for (Delivered batch : batches) {
                List<String> lines = Gzip.lines(batch.object());
                assertThat(lines)
                        .allMatch(l -> l.startsWith("{\"job\":" + batch.header().jobId + ","));
                recordsByJob.merge(batch.header().jobId, (long) lines.size(), Long::sum);
                reasons.merge(batch.header().flushReason, 1, Integer::sum);
            }
            assertThat(recordsByJob).hasSize(jobs);
            assertThat(recordsByJob.values()).containsOnly(1L);
            assertThat(reasons)
                    .containsEntry("ACTIVE_JOBS_CAP", jobs - maxActive)
                    .containsEntry("END_OF_INPUT", maxActive);
        }
    }
}
