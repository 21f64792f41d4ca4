package dev.sluice.benchmarks;

import dev.sluice.route.RoutedRecord;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The buffer benchmarks' input: distinct routed records over a number of jobs, with the local run's
 * skew ({@link SampleRecords}), cycled.
 */
final class RecordPool {

    /**
     * Distinct records. Large enough that even the quietest of 1,000 jobs (0.05% of records) sees
     * over 500 distinct lines per cycle, more than gzip's 32 KiB window: a smaller pool would
     * repeat its lines within a batch and flatter both the ratio and the compression speed.
     */
    static final int SIZE = 1 << 20;

    private final int[] jobs = new int[SIZE];
    private final long[] micros = new long[SIZE];
    private final byte[][] lines = new byte[SIZE][];
    private final long bytes;
    private int next;

    /** Records of jobs 1 … {@code jobCount}. */
    RecordPool(int jobCount, long seed) {
        SampleRecords sample = new SampleRecords(seed);
        long total = 0;
        for (int i = 0; i < SIZE; i++) {
            // Job ids start at 1: the config validator rejects 0.
            jobs[i] = 1 + sample.nextJob(jobCount);
            micros[i] = sample.nextMicros();
            lines[i] = sample.line(jobs[i], micros[i]);
            total += lines[i].length;
        }
        bytes = total;
    }

    /** Mean bytes of a line. */
    double meanLineBytes() {
        return (double) bytes / SIZE;
    }

    /**
     * A fresh record holding a fresh copy of its line: in a job every record arrives as new bytes
     * and the heap backend keeps them, so sharing the pool's arrays would hide that garbage.
     */
    StreamRecord<RoutedRecord> next() {
        int i = next;
        next = (next + 1) & (SIZE - 1);
        return new StreamRecord<>(new RoutedRecord(jobs[i], micros[i], lines[i].clone()));
    }
}
