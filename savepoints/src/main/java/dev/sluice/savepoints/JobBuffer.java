package dev.sluice.savepoints;

import dev.sluice.schemas.state.BufferMeta;

import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

/**
 * One delivery job's buffer as a savepoint holds it: what its state really contains (pending
 * records in the {@code lines} list state, compressed chunks in the {@code chunks} map state), what
 * its bookkeeping says, and its ledger.
 *
 * <p>Records already compressed into chunks cannot be counted without decompressing them, so the
 * records of the open batch as a whole are the bookkeeping's ({@link #metaRecords}); everything
 * else the bookkeeping says is checked against the state by {@link #consistent()}.
 *
 * @param jobId the key of the buffer's keyed state
 * @param pendingRecords records of the open batch not yet compressed (counted in the list state)
 * @param pendingBytes uncompressed bytes of those records (counted)
 * @param chunks compressed chunks of the open batch (counted in the map state)
 * @param chunkBytes compressed bytes of those chunks (counted)
 * @param metaRecords records of the open batch, pending and compressed, according to the
 *     bookkeeping
 * @param metaBytes uncompressed bytes of the open batch according to the bookkeeping
 * @param metaPendingBytes uncompressed bytes not yet compressed according to the bookkeeping (its
 *     bytes minus its compressed input bytes)
 * @param metaChunks chunks of the open batch according to the bookkeeping
 * @param metaStoredBytes compressed bytes in chunks according to the bookkeeping
 * @param nextSeq sequence number of the job's next batch
 * @param firstMicros smallest event time in the open batch (meaningless when it is empty)
 * @param recordsIn ledger: records accepted for the job
 * @param recordsEmitted ledger: records handed to the sink in batches
 * @param recordsFiltered ledger: records of the job its filter dropped
 * @param recordsSampledOut ledger: records of the job its sample rate left out
 */
public record JobBuffer(
        long jobId,
        long pendingRecords,
        long pendingBytes,
        long chunks,
        long chunkBytes,
        long metaRecords,
        long metaBytes,
        long metaPendingBytes,
        long metaChunks,
        long metaStoredBytes,
        long nextSeq,
        long firstMicros,
        long recordsIn,
        long recordsEmitted,
        long recordsFiltered,
        long recordsSampledOut)
        implements Serializable {

    private static final long serialVersionUID = 2L;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    /**
     * A buffer from what its state holds and its bookkeeping ({@code null} if never written).
     * Bookkeeping of versions before chunks has none of their fields; their defaults (0) describe
     * such a batch exactly, every record pending.
     */
    static JobBuffer of(
            long jobId,
            long pendingRecords,
            long pendingBytes,
            long chunks,
            long chunkBytes,
            BufferMeta meta) {
        BufferMeta m = meta != null ? meta : BufferMeta.newBuilder().build();
        return new JobBuffer(
                jobId,
                pendingRecords,
                pendingBytes,
                chunks,
                chunkBytes,
                m.getRecords(),
                m.getBytes(),
                m.getBytes() - m.getCompressedInputBytes(),
                m.getChunkCount(),
                m.getStoredBytes(),
                m.getNextSeq(),
                m.getFirstMicros(),
                m.getRecordsIn(),
                m.getRecordsEmitted(),
                m.getRecordsFiltered(),
                m.getRecordsSampledOut());
    }

    /**
     * The event time of the oldest record still waiting for delivery; empty if none waits. Only the
     * bookkeeping knows it, and only while it has a batch open.
     */
    public Optional<Instant> oldestPending() {
        if (metaRecords == 0) {
            return Optional.empty();
        }
        long seconds = Math.floorDiv(firstMicros, MICROS_PER_SECOND);
        long nanos = Math.floorMod(firstMicros, MICROS_PER_SECOND) * 1_000L;
        return Optional.of(Instant.ofEpochSecond(seconds, nanos));
    }

    /**
     * Whether nothing waits for delivery: no pending record and no chunk in the state, and none in
     * the bookkeeping, as every job is after a final stop with drain.
     */
    public boolean empty() {
        return pendingRecords == 0
                && pendingBytes == 0
                && chunks == 0
                && chunkBytes == 0
                && metaRecords == 0
                && metaBytes == 0
                && metaChunks == 0
                && metaStoredBytes == 0;
    }

    /**
     * Whether the bookkeeping matches the state; the buffer updates both in one element, always.
     * Without chunks every record of the batch is pending, so the records must match too (and
     * nothing can have been compressed). With chunks, each holds at least one record, so the
     * pending ones are fewer than the batch's.
     */
    public boolean consistent() {
        boolean sameLayout =
                pendingBytes == metaPendingBytes
                        && chunks == metaChunks
                        && chunkBytes == metaStoredBytes;
        if (chunks == 0) {
            return sameLayout && pendingRecords == metaRecords && pendingBytes == metaBytes;
        }
        return sameLayout && pendingRecords < metaRecords;
    }
}
