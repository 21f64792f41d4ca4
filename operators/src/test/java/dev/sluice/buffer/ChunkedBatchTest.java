package dev.sluice.buffer;

import dev.sluice.buffer.BufferHarness.Delivered;
import dev.sluice.config.Compression;
import dev.sluice.route.RoutedRecord;
import dev.sluice.testing.Decompress;
import dev.sluice.testing.Gzip;
import dev.sluice.testing.TestConfigs;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** Batches compressed a chunk at a time: one valid file, whatever the chunking and restarts. */
class ChunkedBatchTest {

    private static final long JOB = 7;
    private static final long INTERVAL_MILLIS = 30_000;
    private static final BufferSettings SMALL_CHUNKS =
            BufferSettings.defaults().withChunkBytes(64 * 1024);

    private static final String GZIP_CONFIG = TestConfigs.version(1).job(JOB, "acme").json();

    private static final String ZSTD_CONFIG =
            TestConfigs.version(1)
                    .rawJob(
                            "{\"id\":"
                                    + JOB
                                    + ",\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                                    + "\"destination_conf\":\"s3://logs-bucket/a\","
                                    + "\"output_options\":{\"compression\":\"zstd\"}}")
                    .json();

    private static RoutedRecord record(int i) {
        String line = "{\"n\":" + i + ",\"pad\":\"" + "abcdefghij".repeat(i % 7) + "\"}\n";
        return new RoutedRecord(JOB, T0_MICROS + i, line.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> expectedLines(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String line = new String(record(i).line, StandardCharsets.UTF_8);
            lines.add(line.substring(0, line.length() - 1));
        }
        return lines;
    }

    /** 30,000 records of one job in 64 KiB chunks, delivered as one batch by its interval. */
    private static Delivered oneBatchOfManyChunks(String config) throws Exception {
        try (var h = BufferHarness.of(config, SMALL_CHUNKS)) {
            h.open();
            for (int i = 0; i < 30_000; i++) {
                h.processElement1(record(i), 0);
            }
            h.setProcessingTime(INTERVAL_MILLIS);
            return BufferHarness.batches(h.extractOutputValues()).get(0);
        }
    }

    @Test
    void gzipChunksConcatenateIntoOneFileThatJavaUtilZipReads() throws Exception {
        Delivered batch = oneBatchOfManyChunks(GZIP_CONFIG);

        assertThat(batch.chunks()).isGreaterThan(10);
        assertThat(batch.header().key).endsWith(".log.gz");
        assertThat(Gzip.lines(batch.object())).isEqualTo(expectedLines(0, 30_000));
    }

    @Test
    void zstdChunksConcatenateIntoOneFileThatZstdReads() throws Exception {
        Delivered batch = oneBatchOfManyChunks(ZSTD_CONFIG);

        assertThat(batch.chunks()).isGreaterThan(10);
        assertThat(batch.header().compression).isEqualTo("zstd");
        assertThat(batch.header().key).endsWith(".log.zst");
        assertThat(unzstdLines(batch.object())).isEqualTo(expectedLines(0, 30_000));
    }

    /**
     * The batch's last record completes a chunk, so nothing is pending when its interval closes it:
     * the last chunk is then an empty member, and the batch is whole.
     */
    @Test
    void aBatchWhoseLastRecordCompletedAChunkClosesWithNothingPending() throws Exception {
        int perChunk = 1024;
        byte[] line = ("{\"n\":\"" + "x".repeat(55) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        assertThat(line.length * perChunk).isEqualTo(64 * 1024);
        try (var h = BufferHarness.of(GZIP_CONFIG, SMALL_CHUNKS)) {
            h.open();
            for (int i = 0; i < perChunk; i++) {
                h.processElement1(new RoutedRecord(JOB, T0_MICROS + i, line), 0);
            }
            h.setProcessingTime(INTERVAL_MILLIS);

            Delivered batch = BufferHarness.batches(h.extractOutputValues()).get(0);
            assertThat(batch.chunks()).isEqualTo(2);
            assertThat(batch.header().records).isEqualTo(perChunk);
            assertThat(Gzip.lines(batch.object()))
                    .hasSize(perChunk)
                    .allMatch(l -> l.equals(new String(line, 0, line.length - 1, UTF_8)));
        }
    }

    @Test
    void snapshotAndRestoreMidBatchKeepChunksCountersAndTimers() throws Exception {
        OperatorSubtaskState snapshot;
        long heldBefore;
        try (var h = BufferHarness.of(GZIP_CONFIG, SMALL_CHUNKS)) {
            h.open();
            for (int i = 0; i < 5_000; i++) {
                h.processElement1(record(i), 0);
            }
            h.processElement1(RoutedRecord.ledgerReport(JOB, 11, 5), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            heldBefore = ((BufferOperator) h.getOperator()).bufferedBytes();
            snapshot = BufferHarness.checkpoint(h, 1L);
        }
        try (var restored = BufferHarness.of(GZIP_CONFIG, SMALL_CHUNKS)) {
            restored.initializeState(snapshot);
            restored.open();
            BufferOperator operator = (BufferOperator) restored.getOperator();
            assertThat(operator.activeJobs()).isEqualTo(1);
            assertThat(operator.bufferedBytes()).isEqualTo(heldBefore);
            assertThat(restored.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(restored.numEventTimeTimers()).isEqualTo(1);

            for (int i = 5_000; i < 5_010; i++) {
                restored.processElement1(record(i), 0);
            }
            restored.setProcessingTime(INTERVAL_MILLIS);

            List<Delivered> batches = BufferHarness.batches(restored.extractOutputValues());
            assertThat(batches).hasSize(1);
            Delivered batch = batches.get(0);
            assertThat(batch.chunks()).isGreaterThan(2);
            assertThat(Gzip.lines(batch.object())).isEqualTo(expectedLines(0, 5_010));
            assertThat(batch.header().records).isEqualTo(5_010);
            assertThat(batch.header().ledger.recordsIn).isEqualTo(5_010);
            assertThat(batch.header().ledger.recordsFiltered).isEqualTo(11);
            assertThat(batch.header().ledger.recordsSampledOut).isEqualTo(5);
            assertThat(batch.header().ledger.recordsBatched).isEqualTo(5_010);
            assertThat(restored.numProcessingTimeTimers()).isZero();
            assertThat(operator.activeJobs()).isZero();
            assertThat(operator.bufferedBytes()).isZero();
        }
    }

    private static List<String> unzstdLines(byte[] zstd) {
        String text = new String(Decompress.bytes(Compression.ZSTD, zstd), StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return Arrays.asList(text.split("\n"));
    }
}
