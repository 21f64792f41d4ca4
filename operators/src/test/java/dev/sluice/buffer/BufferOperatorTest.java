package dev.sluice.buffer;

import dev.sluice.buffer.BufferHarness.Delivered;
import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.BatchLedger;
import dev.sluice.testing.Gzip;
import dev.sluice.testing.TestConfigs;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

class BufferOperatorTest {

    private static final long JOB = 7;
    private static final long UNKNOWN_JOB = 99;
    private static final long MAX_RECORDS = 1_000;
    private static final long INTERVAL_MILLIS = 30_000;

    private static final String CONFIG =
            TestConfigs.version(1).job(JOB, "acme", true, MAX_RECORDS).job(8, "initech").json();

    private static KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk>
            harness() throws Exception {
        return BufferHarness.of(CONFIG, BufferSettings.defaults());
    }

    private static RoutedRecord record(long job, int i) {
        byte[] line = ("{\"n\":" + i + "}\n").getBytes(StandardCharsets.UTF_8);
        return new RoutedRecord(job, T0_MICROS + i, line);
    }

    private static List<Delivered> delivered(
            KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> h) {
        return BufferHarness.batches(h.extractOutputValues());
    }

    /**
     * A job started from {@code --config} that never took an update: its snapshot must hold the
     * config, so an upgrade from the savepoint starts without {@code --config}.
     */
    @Test
    void aSnapshotHoldsTheStartConfigSoARestoreNeedsNoConfigFile() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement1(record(JOB, 0), 0);
            snapshot = BufferHarness.checkpoint(h, 1L);
        }
        try (var restored = BufferHarness.of(null, BufferSettings.defaults())) {
            restored.initializeState(snapshot);
            restored.open();
            for (int i = 1; i < MAX_RECORDS; i++) {
                restored.processElement1(record(JOB, i), 0);
            }

            assertThat(delivered(restored))
                    .singleElement()
                    .satisfies(b -> assertThat(b.header().records).isEqualTo(MAX_RECORDS));
        }
    }

    @Test
    void closesABatchAtMaxRecords() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < MAX_RECORDS + 1; i++) {
                h.processElement1(record(JOB, i), 0);
            }

            List<Delivered> batches = delivered(h);
            assertThat(batches).hasSize(1);
            BatchChunk batch = batches.get(0).header();
            assertThat(batch.records).isEqualTo(MAX_RECORDS);
            assertThat(batch.seq).isZero();
            assertThat(batch.flushReason).isEqualTo("RECORDS");
            assertThat(Gzip.lines(batches.get(0).object()))
                    .hasSize((int) MAX_RECORDS)
                    .startsWith("{\"n\":0}");
            assertThat(batch.key)
                    .isEqualTo(
                            "tmp/sluice-test/acme/20241114/20241114T101500Z_20241114T101500Z_7-0.log.gz");
        }
    }

    @Test
    void closesABatchAtMaxBytes() throws Exception {
        try (var h = harness()) {
            h.open();
            byte[] big = new byte[1_000_000];
            java.util.Arrays.fill(big, (byte) 'x');
            big[big.length - 1] = '\n';
            for (int i = 0; i < 5; i++) {
                h.processElement1(new RoutedRecord(JOB, T0_MICROS, big), 0);
            }

            List<Delivered> batches = delivered(h);
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0).header().uncompressedBytes).isEqualTo(5_000_000L);
            assertThat(batches.get(0).chunks())
                    .as("a chunk whenever a MiB is pending, then the tail")
                    .isEqualTo(3);
            assertThat(Gzip.lines(batches.get(0).object())).hasSize(5);
        }
    }

    @Test
    void closesABatchWhenItsIntervalPasses() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement1(record(JOB, 0), 0);
            h.processElement1(record(JOB, 1), 0);
            h.setProcessingTime(1_000 + INTERVAL_MILLIS - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            h.setProcessingTime(1_000 + INTERVAL_MILLIS);

            assertThat(delivered(h)).extracting(b -> b.header().records).containsExactly(2L);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aBatchWhoseIntervalEndsBeforeTheNextBarrierGoesOutAtThisOne() throws Exception {
        long checkpointInterval = 10_000;
        try (var h =
                BufferHarness.of(
                        CONFIG,
                        BufferSettings.defaults().withCloseAheadMillis(checkpointInterval))) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement1(record(JOB, 0), 0);
            h.setProcessingTime(1_000 + INTERVAL_MILLIS - checkpointInterval - 1);
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.extractOutputValues()).as("due after the next barrier").isEmpty();

            h.setProcessingTime(1_000 + INTERVAL_MILLIS - checkpointInterval);
            h.prepareSnapshotPreBarrier(2);

            assertThat(delivered(h)).extracting(b -> b.header().records).containsExactly(1L);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void withoutCloseAheadABatchWaitsForItsInterval() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement1(record(JOB, 0), 0);
            h.setProcessingTime(INTERVAL_MILLIS);

            h.prepareSnapshotPreBarrier(1);

            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void flushesEverythingWhenTheInputEnds() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(record(JOB, 0), 0);

            h.processWatermark1(new Watermark(Long.MAX_VALUE));
            h.processWatermark2(new Watermark(Long.MAX_VALUE));

            assertThat(delivered(h))
                    .extracting(b -> b.header().flushReason + ":" + b.header().records)
                    .containsExactly("END_OF_INPUT:1");
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void numbersSuccessiveBatchesOfAJob() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 2 * MAX_RECORDS; i++) {
                h.processElement1(record(JOB, i), 0);
            }
            assertThat(delivered(h)).extracting(b -> b.header().seq).containsExactly(0L, 1L);
        }
    }

    @Test
    void holdsRecordsOfAJobItsConfigDoesNotKnowYet() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(record(UNKNOWN_JOB, 0), 0);
            h.setProcessingTime(INTERVAL_MILLIS);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

            h.processElement2(
                    TestConfigs.version(2).job(JOB, "acme").job(UNKNOWN_JOB, "initech").json(), 0);
            h.setProcessingTime(2 * INTERVAL_MILLIS);

            assertThat(delivered(h)).extracting(b -> b.header().jobId).containsExactly(UNKNOWN_JOB);
        }
    }

    @Test
    void aBatchWaitingForItsJobsConfigIsNotRetriedAtEveryBarrier() throws Exception {
        try (var h =
                BufferHarness.of(CONFIG, BufferSettings.defaults().withCloseAheadMillis(10_000))) {
            h.open();
            h.processElement1(record(UNKNOWN_JOB, 0), 0);
            h.setProcessingTime(INTERVAL_MILLIS);
            assertThat(h.numProcessingTimeTimers()).as("the retry timer").isEqualTo(1);

            h.setProcessingTime(INTERVAL_MILLIS + 1_000);
            h.prepareSnapshotPreBarrier(1);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numProcessingTimeTimers()).as("still the one retry timer").isEqualTo(1);
        }
    }

    @Test
    void deliversADisabledJobsBufferAtOnceAndKeepsItsSequence() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(record(JOB, 0), 0);
            h.processElement1(record(JOB, 1), 0);

            h.processElement2(
                    TestConfigs.version(2)
                            .job(JOB, "acme", false, MAX_RECORDS)
                            .job(8, "initech")
                            .json(),
                    0);

            List<Delivered> batches = delivered(h);
            assertThat(batches).extracting(b -> b.header().records).containsExactly(2L);
            assertThat(batches.get(0).header().key).startsWith("tmp/sluice-test/acme/");
            assertThat(batches.get(0).header().flushReason).isEqualTo("JOB_STOPPED");
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.setProcessingTime(10 * INTERVAL_MILLIS);
            h.processElement1(record(JOB, 2), 0);
            h.processWatermark1(new Watermark(Long.MAX_VALUE));
            h.processWatermark2(new Watermark(Long.MAX_VALUE));
            assertThat(delivered(h)).extracting(b -> b.header().seq).containsExactly(0L, 1L);
        }
    }

    /** A record routed just before the router saw the delete reaches the buffer just after. */
    @Test
    void deliversLateRecordsOfARemovedJobToItsLastDestination() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(record(JOB, 0), 0);
            h.processElement2("{\"version\":3,\"delete\":" + JOB + "}", 0);
            h.processElement1(record(JOB, 1), 0);

            h.setProcessingTime(INTERVAL_MILLIS);

            assertThat(delivered(h))
                    .extracting(b -> b.header().seq + ":" + b.header().key.substring(0, 21))
                    .containsExactly("0:tmp/sluice-test/acme/", "1:tmp/sluice-test/acme/");
        }
    }

    @Test
    void framesABatchOfManyChunksAsOneDocument() throws Exception {
        String framed =
                TestConfigs.version(2)
                        .job(8, "initech")
                        .rawJob(
                                "{\"id\":"
                                        + JOB
                                        + ",\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                                        + "\"destination_conf\":\"s3://logs-bucket/a\",\"output_options\":{"
                                        + "\"batch_prefix\":\"[\",\"record_delimiter\":\",\",\"batch_suffix\":\"]\","
                                        + "\"record_suffix\":\"\"}}")
                        .json();
        try (var h =
                BufferHarness.of(CONFIG, BufferSettings.defaults().withChunkBytes(64 * 1024))) {
            h.open();
            h.processElement2(framed, 0);
            StringBuilder expected = new StringBuilder("[");
            for (int i = 0; i < 20_000; i++) {
                byte[] json = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                h.processElement1(new RoutedRecord(JOB, T0_MICROS, json), 0);
                expected.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
            }
            expected.append(']');

            h.setProcessingTime(INTERVAL_MILLIS);

            Delivered batch = delivered(h).get(0);
            assertThat(batch.chunks()).isGreaterThan(2);
            assertThat(gunzip(batch.object())).isEqualTo(expected.toString());
        }
    }

    @Test
    void carriesTheRoutersLedgerReportsIntoTheBatch() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(RoutedRecord.ledgerReport(JOB, 3, 2), 0);
            h.processElement1(record(JOB, 0), 0);
            h.processElement1(RoutedRecord.ledgerReport(JOB, 1, 0), 0);

            h.setProcessingTime(INTERVAL_MILLIS);

            BatchLedger ledger = delivered(h).get(0).header().ledger;
            assertThat(ledger.recordsIn).isEqualTo(1);
            assertThat(ledger.recordsFiltered).isEqualTo(4);
            assertThat(ledger.recordsSampledOut).isEqualTo(2);
            assertThat(ledger.recordsBatched).isEqualTo(1);
        }
    }

    private static String gunzip(byte[] gzip) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
