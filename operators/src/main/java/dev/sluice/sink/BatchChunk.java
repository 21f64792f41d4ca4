package dev.sluice.sink;

/**
 * One chunk of a closed batch, in order: a complete gzip member or zstd frame that the sink appends
 * to the batch's object. A batch is chunks {@code 0..n}, emitted back to back in one call, the last
 * one marked {@link #last}. Every chunk carries the batch's header (key, counts, ledger), so the
 * sink can start the upload at chunk 0 with the object's metadata. A Flink POJO, never Kryo.
 */
public class BatchChunk {

    public long jobId;

    /** The job's batch sequence number; with the job id it makes the object key unique. */
    public long seq;

    /** The job's {@code destination_conf}. */
    public String destination;

    /** The object key, deterministic from the batch (see {@code ObjectKeys}). */
    public String key;

    /** {@code gzip} or {@code zstd}. */
    public String compression;

    /** Position of this chunk in its batch, from 0. */
    public int index;

    /** Whether this chunk ends its batch. */
    public boolean last;

    /** The compressed bytes: one gzip member or zstd frame. */
    public byte[] data;

    /** Records in the batch. */
    public long records;

    /** Encoded bytes of the batch before compression. */
    public long uncompressedBytes;

    public long firstMicros;

    public long lastMicros;

    /** Why the batch closed: the buffer's flush reason, as a manifest shows it. */
    public String flushReason;

    /** Ledger of the job at the close of this batch; see {@link BatchLedger}. */
    public BatchLedger ledger;

    public BatchChunk() {}

    /**
     * Chunk {@code index} of a gzip batch of {@code chunks} chunks holding {@code records} records,
     * every record of the job batched: for tools and tests that write batches without the buffer.
     */
    public static BatchChunk of(
            long jobId,
            long seq,
            String destination,
            String key,
            int index,
            int chunks,
            byte[] data,
            long records) {
        BatchChunk c = new BatchChunk();
        c.jobId = jobId;
        c.seq = seq;
        c.destination = destination;
        c.key = key;
        c.compression = "gzip";
        c.index = index;
        c.last = index == chunks - 1;
        c.data = data;
        c.records = records;
        c.flushReason = "RECORDS";
        c.ledger = new BatchLedger(records, 0, 0, records);
        return c;
    }
}
