package dev.sluice.savepoints;

import dev.sluice.schemas.state.BufferMeta;

import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

/**
 * One delivery job's buffer as a savepoint holds it: what its list state really contains, what its
 * bookkeeping says, and its ledger.
 *
 * @param jobId the key of the buffer's keyed state
 * @param records encoded lines in the open batch (counted in the list state)
 * @param bytes uncompressed bytes of those lines
 * @param metaRecords records of the open batch according to the bookkeeping
 * @param metaBytes bytes of the open batch according to the bookkeeping
 * @param nextSeq sequence number of the job's next batch
 * @param firstMicros smallest event time in the open batch (meaningless when it is empty)
 * @param recordsIn ledger: records accepted for the job
 * @param recordsEmitted ledger: records handed to the sink in batches
 */
public record JobBuffer(
        long jobId,
        long records,
        long bytes,
        long metaRecords,
        long metaBytes,
        long nextSeq,
        long firstMicros,
        long recordsIn,
        long recordsEmitted)
        implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    /** A buffer from its counted lines and its bookkeeping ({@code null} if never written). */
    static JobBuffer of(long jobId, long records, long bytes, BufferMeta meta) {
        BufferMeta m = meta != null ? meta : BufferMeta.newBuilder().build();
        return new JobBuffer(
                jobId,
                records,
                bytes,
                m.getRecords(),
                m.getBytes(),
                m.getNextSeq(),
                m.getFirstMicros(),
                m.getRecordsIn(),
                m.getRecordsEmitted());
    }

    /** The event time of the oldest record still waiting for delivery; empty if none waits. */
    public Optional<Instant> oldestPending() {
        if (records == 0) {
            return Optional.empty();
        }
        long seconds = Math.floorDiv(firstMicros, MICROS_PER_SECOND);
        long nanos = Math.floorMod(firstMicros, MICROS_PER_SECOND) * 1_000L;
        return Optional.of(Instant.ofEpochSecond(seconds, nanos));
    }

    /**
     * Whether nothing waits for delivery: the list state and the bookkeeping both empty, as every
     * job is after a final stop with drain.
     */
    public boolean empty() {
        return records == 0 && bytes == 0 && metaRecords == 0 && metaBytes == 0;
    }

    /** Whether the bookkeeping matches the list state; both are updated in one element, always. */
    public boolean consistent() {
        return records == metaRecords && bytes == metaBytes;
    }
}
