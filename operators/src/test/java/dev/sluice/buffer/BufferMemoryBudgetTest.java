package dev.sluice.buffer;

import dev.sluice.buffer.BufferHarness.Delivered;
import dev.sluice.route.RoutedRecord;
import dev.sluice.testing.Gzip;
import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the buffer keeps in memory between barriers stays within {@code sluice.buffer.memory}: a
 * batch holding enough for a chunk that compresses well is compressed early, smaller ones are
 * spilled to keyed state; either way every record is delivered once, in order.
 */
class BufferMemoryBudgetTest {

    private static final int JOBS = 12;
    private static final long INTERVAL_MILLIS = 30_000;
    private static final BufferSettings BUDGET_OF_ONE_CHUNK =
            BufferSettings.defaults().withChunkBytes(256 * 1024).withMemoryBytes(256 * 1024);

    private static String config() {
        TestConfigs config = TestConfigs.version(1);
        for (long job = 1; job <= JOBS; job++) {
            config.job(job, "c" + job);
        }
        return config.json();
    }

    /** A line of about {@code bytes} bytes, numbered so that order and loss show. */
    private static String line(long job, int n, int bytes) {
        return "{\"job\":" + job + ",\"n\":" + n + ",\"pad\":\"" + "y".repeat(bytes) + "\"}";
    }

    @Test
    void aLargePendingSetIsCompressedEarlyIntoAChunkOfItsOwn() throws Exception {
        assertJobOneCompressedEarly(BUDGET_OF_ONE_CHUNK);
    }

    @Test
    void anUnsetBudgetIsResolvedWhenTheBufferOpens() throws Exception {
        // Unset, the budget is the heap's share but at most the byte cap: here one chunk, as above.
        assertJobOneCompressedEarly(
                BufferSettings.defaults().withChunkBytes(256 * 1024).withMaxBytes(256 * 1024));
    }

    /**
     * Job 1 holds 200 KiB, under its chunk size; with job 2's 100 KiB the records take more memory
     * than a 256 KiB budget.
     */
    private static void assertJobOneCompressedEarly(BufferSettings settings) throws Exception {
        List<String> sent = new ArrayList<>();
        try (var h = BufferHarness.of(config(), settings)) {
            h.open();
            for (int i = 0; i < 200; i++) {
                sent.add(line(1, i, 1000));
                h.processElement1(record(1, sent.get(sent.size() - 1)), 0);
            }
            for (int i = 0; i < 100; i++) {
                h.processElement1(record(2, line(2, i, 1000)), 0);
            }
            h.setProcessingTime(INTERVAL_MILLIS);

            Delivered job1 = batchOf(h.extractOutputValues(), 1);
            // The budget counts the arrays holding the records, room not yet used included, so
            // job 1 may be compressed early more than once as they grow.
            assertThat(job1.chunks()).as("early chunks and the last").isGreaterThanOrEqualTo(2);
            assertThat(Gzip.lines(job1.object())).isEqualTo(sent);
        }
    }

    @Test
    void smallPendingSetsAreSpilledToStateAndDeliveredWhole() throws Exception {
        try (var h = BufferHarness.of(config(), BUDGET_OF_ONE_CHUNK)) {
            h.open();
            // Twelve jobs of 30 KiB each, 360 KiB in all: each too small for an early chunk.
            List<List<String>> sent = new ArrayList<>();
            for (int job = 1; job <= JOBS; job++) {
                sent.add(new ArrayList<>());
            }
            for (int i = 0; i < 30; i++) {
                for (int job = 1; job <= JOBS; job++) {
                    String line = line(job, i, 1000);
                    sent.get(job - 1).add(line);
                    h.processElement1(record(job, line), 0);
                }
            }
            // A barrier after the spill, then more records: state and memory both hold some.
            BufferHarness.checkpoint(h, 1);
            for (int job = 1; job <= JOBS; job++) {
                String line = line(job, 30, 10);
                sent.get(job - 1).add(line);
                h.processElement1(record(job, line), 0);
            }
            h.setProcessingTime(INTERVAL_MILLIS);

            var output = h.extractOutputValues();
            for (int job = 1; job <= JOBS; job++) {
                Delivered d = batchOf(output, job);
                assertThat(d.chunks()).as("no early chunk for job %d", job).isEqualTo(1);
                assertThat(Gzip.lines(d.object())).isEqualTo(sent.get(job - 1));
            }
        }
    }

    private static RoutedRecord record(long job, String line) {
        return new RoutedRecord(job, T0_MICROS, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static Delivered batchOf(List<dev.sluice.sink.BatchChunk> output, long job) {
        return BufferHarness.batches(output).stream()
                .filter(d -> d.header().jobId == job)
                .findFirst()
                .orElseThrow();
    }
}
