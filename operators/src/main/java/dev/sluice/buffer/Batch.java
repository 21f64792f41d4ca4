package dev.sluice.buffer;

/**
 * One closed batch of a delivery job: a complete gzip object and what the sink needs to stage it. A
 * Flink POJO so it never falls back to Kryo.
 */
public class Batch {

    public long jobId;

    /** The job's batch sequence number; with the job id it makes the object key unique. */
    public long seq;

    /** The job's {@code destination_conf}. */
    public String destination;

    /** The object key, deterministic from the batch (see {@code ObjectKeys}). */
    public String key;

    public long records;

    /** Encoded bytes before compression. */
    public long uncompressedBytes;

    public long firstMicros;

    public long lastMicros;

    /** The gzip-compressed object body. */
    public byte[] payload;

    public Batch() {}
}
