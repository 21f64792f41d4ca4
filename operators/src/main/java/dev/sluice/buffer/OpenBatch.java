package dev.sluice.buffer;

import dev.sluice.schemas.state.BufferMeta;

import java.util.List;

/**
 * A job's open batch as the buffer works on it: its bookkeeping and its records not yet compressed,
 * in operator memory. Keyed state catches up at every checkpoint barrier ({@link
 * BufferOperator#prepareSnapshotPreBarrier}), so a checkpoint holds what it would hold had every
 * record been written to state as it came; between barriers a record costs no state access.
 *
 * <p>Keyed state holds a prefix of the pending records: the first {@link #spilledRecords()} of them
 * only there (written out to relieve memory, see {@link #spilled()}), then the first {@link
 * #savedRecords()} of those in memory (written at an earlier barrier, or read from state); the rest
 * are only in memory.
 */
final class OpenBatch {

    private final BufferMeta meta;
    private final PendingLines pending = new PendingLines();
    private int saved;
    private int spilled;
    private boolean dirty;

    private OpenBatch(BufferMeta meta) {
        this.meta = meta;
    }

    /** A batch as keyed state holds it: its bookkeeping and its pending records, if any. */
    static OpenBatch fromState(BufferMeta meta, List<byte[]> pendingInState) {
        OpenBatch batch = withPending(meta, pendingInState);
        batch.saved = batch.pending.count();
        return batch;
    }

    /**
     * A batch whose pending records keyed state no longer holds (they were read from an earlier
     * layout and cleared): all of them, and the bookkeeping, go to state at the next barrier.
     */
    static OpenBatch unsaved(BufferMeta meta, List<byte[]> pending) {
        OpenBatch batch = withPending(meta, pending);
        batch.dirty = true;
        return batch;
    }

    private static OpenBatch withPending(BufferMeta meta, List<byte[]> records) {
        OpenBatch batch = new OpenBatch(meta);
        for (byte[] line : records) {
            batch.pending.add(line);
        }
        return batch;
    }

    /** The bookkeeping, changed in place; call {@link #changed()} after changing it. */
    BufferMeta meta() {
        return meta;
    }

    void append(byte[] line) {
        pending.add(line);
        dirty = true;
    }

    /** The records not yet compressed that memory holds, oldest first. */
    PendingLines pending() {
        return pending;
    }

    /** Uncompressed bytes of the pending records memory holds. */
    long pendingBytes() {
        return pending.bytes();
    }

    /** Memory the pending records take: their arrays, used or not (the memory budget's unit). */
    long heldBytes() {
        return pending.heldBytes();
    }

    /** Leading pending records that only keyed state holds. */
    int spilledRecords() {
        return spilled;
    }

    /** Pending records keyed state holds too; they must be removed from it with the rest. */
    int savedRecords() {
        return saved;
    }

    /** Pending records keyed state does not hold yet: those from this index of {@link #pending}. */
    int firstUnsaved() {
        return saved;
    }

    /** How many pending records keyed state does not hold yet. */
    int unsavedRecords() {
        return pending.count() - saved;
    }

    /** The pending records went into a chunk. */
    void compressed() {
        pending.clear();
        saved = 0;
        spilled = 0;
        dirty = true;
    }

    /** Keyed state now holds every pending record (the unsaved ones were appended), memory none. */
    void spilled() {
        spilled += pending.count();
        pending.clear();
        saved = 0;
    }

    void changed() {
        dirty = true;
    }

    boolean isDirty() {
        return dirty;
    }

    /** Keyed state now holds the bookkeeping and every pending record. */
    void saved() {
        saved = pending.count();
        dirty = false;
    }
}
