package dev.sluice.route;

/**
 * One event already encoded for one delivery job; what crosses the shuffle to the job's buffer. A
 * Flink POJO (public fields, no-arg constructor) so it never falls back to Kryo.
 */
public class RoutedRecord {

    /** The delivery job; the buffer's key. */
    public long jobId;

    /** Event time, microseconds since the epoch. */
    public long timestampMicros;

    /** The encoded record, its record prefix and suffix included (for ndjson, one line). */
    public byte[] line;

    public RoutedRecord() {}

    public RoutedRecord(long jobId, long timestampMicros, byte[] line) {
        this.jobId = jobId;
        this.timestampMicros = timestampMicros;
        this.line = line;
    }

    public long getJobId() {
        return jobId;
    }
}
