package dev.sluice.buffer;

import dev.sluice.config.ConfigHolder;
import dev.sluice.route.RoutedRecord;
import dev.sluice.testing.Gzip;
import dev.sluice.testing.TestConfigs;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

class BufferFunctionTest {

    private static final long JOB = 7;
    private static final long UNKNOWN_JOB = 99;
    private static final long MAX_RECORDS = 1_000;
    private static final long INTERVAL_MILLIS = 30_000;

    private static final String CONFIG =
            TestConfigs.version(1).job(JOB, "acme", true, MAX_RECORDS).json();

    private static KeyedBroadcastOperatorTestHarness<Long, RoutedRecord, String, Batch> harness()
            throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new BufferFunction(new ConfigHolder(CONFIG)),
                        List.of(ConfigHolder.CONFIG_STATE)),
                RoutedRecord::getJobId,
                Types.LONG,
                128,
                1,
                0);
    }

    private static RoutedRecord record(long job, int i) {
        byte[] line = ("{\"n\":" + i + "}\n").getBytes(StandardCharsets.UTF_8);
        return new RoutedRecord(job, T0_MICROS + i, line);
    }

    @Test
    void closesABatchAtMaxRecords() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < MAX_RECORDS + 1; i++) {
                h.processElement(record(JOB, i), 0);
            }

            List<Batch> batches = h.extractOutputValues();
            assertThat(batches).hasSize(1);
            Batch batch = batches.get(0);
            assertThat(batch.records).isEqualTo(MAX_RECORDS);
            assertThat(batch.seq).isZero();
            assertThat(Gzip.lines(batch.payload))
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
                h.processElement(new RoutedRecord(JOB, T0_MICROS, big), 0);
            }

            List<Batch> batches = h.extractOutputValues();
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0).uncompressedBytes).isEqualTo(5_000_000L);
        }
    }

    @Test
    void closesABatchWhenItsIntervalPasses() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement(record(JOB, 0), 0);
            h.processElement(record(JOB, 1), 0);
            h.setProcessingTime(1_000 + INTERVAL_MILLIS - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            h.setProcessingTime(1_000 + INTERVAL_MILLIS);

            assertThat(h.extractOutputValues()).extracting(b -> b.records).containsExactly(2L);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void flushesEverythingWhenTheInputEnds() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(record(JOB, 0), 0);

            h.processWatermark(Long.MAX_VALUE);
            h.processBroadcastWatermark(Long.MAX_VALUE);

            assertThat(h.extractOutputValues()).extracting(b -> b.records).containsExactly(1L);
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void keepsBufferedRecordsAndTheirTimerAcrossSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(record(JOB, 0), 0);
            h.processElement(record(JOB, 1), 0);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numProcessingTimeTimers()).isEqualTo(1);

            restored.setProcessingTime(INTERVAL_MILLIS);

            List<Batch> batches = restored.extractOutputValues();
            assertThat(batches).extracting(b -> b.records).containsExactly(2L);
            assertThat(Gzip.lines(batches.get(0).payload))
                    .containsExactly("{\"n\":0}", "{\"n\":1}");
            assertThat(restored.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void numbersSuccessiveBatchesOfAJob() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 2 * MAX_RECORDS; i++) {
                h.processElement(record(JOB, i), 0);
            }
            assertThat(h.extractOutputValues()).extracting(b -> b.seq).containsExactly(0L, 1L);
        }
    }

    @Test
    void holdsRecordsOfAJobItsConfigDoesNotKnowYet() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(record(UNKNOWN_JOB, 0), 0);
            h.setProcessingTime(INTERVAL_MILLIS);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processBroadcastElement(
                    TestConfigs.version(2).job(JOB, "acme").job(UNKNOWN_JOB, "initech").json(), 0);
            h.setProcessingTime(2 * INTERVAL_MILLIS);

            assertThat(h.extractOutputValues())
                    .extracting(b -> b.jobId)
                    .containsExactly(UNKNOWN_JOB);
        }
    }

    @Test
    void deliversADisabledJobsBufferAtOnceAndKeepsItsSequence() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(record(JOB, 0), 0);
            h.processElement(record(JOB, 1), 0);

            h.processBroadcastElement(
                    TestConfigs.version(2)
                            .job(JOB, "acme", false, MAX_RECORDS)
                            .job(8, "initech")
                            .json(),
                    0);

            List<Batch> batches = h.extractOutputValues();
            assertThat(batches).extracting(b -> b.records).containsExactly(2L);
            assertThat(batches.get(0).key).startsWith("tmp/sluice-test/acme/");
            h.setProcessingTime(10 * INTERVAL_MILLIS);
            h.processElement(record(JOB, 2), 0);
            h.processWatermark(Long.MAX_VALUE);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).extracting(b -> b.seq).containsExactly(0L, 1L);
        }
    }

    /** A record routed just before the router saw the delete reaches the buffer just after. */
    @Test
    void deliversLateRecordsOfARemovedJobToItsLastDestination() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processBroadcastElement(
                    TestConfigs.version(2)
                            .job(JOB, "acme", true, MAX_RECORDS)
                            .job(8, "initech")
                            .json(),
                    0);
            h.processElement(record(JOB, 0), 0);
            h.processBroadcastElement("{\"version\":3,\"delete\":" + JOB + "}", 0);
            h.processElement(record(JOB, 1), 0);

            h.setProcessingTime(INTERVAL_MILLIS);

            assertThat(h.extractOutputValues())
                    .extracting(b -> b.seq + ":" + b.key.substring(0, 21))
                    .containsExactly("0:tmp/sluice-test/acme/", "1:tmp/sluice-test/acme/");
        }
    }

    @Test
    void holdsRecordsOfAJobNeverConfigured() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(record(UNKNOWN_JOB, 0), 0);
            h.setProcessingTime(10 * INTERVAL_MILLIS);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void framesTheBatchWithTheJobsPrefixDelimiterAndSuffix() throws Exception {
        String framed =
                TestConfigs.version(2)
                        .job(8, "initech")
                        .rawJob(
                                "{\"id\":"
                                        + JOB
                                        + ",\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                                        + "\"destination_conf\":\"s3://logs-bucket/a\",\"output_options\":{"
                                        + "\"batch_prefix\":\"[\",\"record_delimiter\":\",\",\"batch_suffix\":\"]\"}}")
                        .json();
        try (var h = harness()) {
            h.open();
            h.processBroadcastElement(framed, 0);
            h.processElement(record(JOB, 0), 0);
            h.processElement(record(JOB, 1), 0);

            h.setProcessingTime(INTERVAL_MILLIS);

            byte[] payload = h.extractOutputValues().get(0).payload;
            try (var in =
                    new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(payload))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("[{\"n\":0}\n,{\"n\":1}\n]");
            }
        }
    }
}
