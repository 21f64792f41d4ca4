package dev.sluice.buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open batches one buffer subtask keeps in memory, by job, and the memory their pending records
 * take there (their arrays, room not yet used included). Holds only batches that received a record
 * since the subtask started (a restored one is read from keyed state when its job next needs it),
 * so its size follows the open batches, which the caps bound, never the number of configured jobs.
 */
final class OpenBatches {

    private final Map<Long, OpenBatch> byJob = new HashMap<>();
    private long heldBytes;

    OpenBatch get(long jobId) {
        return byJob.get(jobId);
    }

    void put(long jobId, OpenBatch batch) {
        OpenBatch previous = byJob.put(jobId, batch);
        heldBytes += batch.heldBytes() - (previous == null ? 0 : previous.heldBytes());
    }

    void append(OpenBatch batch, byte[] line) {
        long before = batch.heldBytes();
        batch.append(line);
        heldBytes += batch.heldBytes() - before;
    }

    /** The batch's pending records went into a chunk. */
    void compressed(OpenBatch batch) {
        heldBytes -= batch.heldBytes();
        batch.compressed();
    }

    /** The batch's pending records were written out to keyed state and left memory. */
    void spilled(OpenBatch batch) {
        heldBytes -= batch.heldBytes();
        batch.spilled();
    }

    /** The job's batch was delivered: its bookkeeping is back in keyed state. */
    void remove(long jobId) {
        OpenBatch batch = byJob.remove(jobId);
        if (batch != null) {
            heldBytes -= batch.heldBytes();
        }
    }

    /** Memory the pending records take, in bytes: what the memory budget bounds. */
    long heldBytes() {
        return heldBytes;
    }

    int size() {
        return byJob.size();
    }

    /** The jobs whose batch changed since keyed state last caught up. */
    List<Long> dirty() {
        List<Long> dirty = new ArrayList<>();
        for (Map.Entry<Long, OpenBatch> e : byJob.entrySet()) {
            if (e.getValue().isDirty()) {
                dirty.add(e.getKey());
            }
        }
        return dirty;
    }

    /**
     * The jobs whose pending records take the most memory, most first, that together take at least
     * {@code bytes}: whose records to take out of memory so that it holds {@code bytes} less. A
     * sort per call; the caller frees a quarter of the budget at a time, so it runs rarely.
     */
    List<Long> largestPending(long bytes) {
        List<Map.Entry<Long, OpenBatch>> entries = new ArrayList<>(byJob.entrySet());
        entries.sort((a, b) -> Long.compare(b.getValue().heldBytes(), a.getValue().heldBytes()));
        List<Long> chosen = new ArrayList<>();
        long freed = 0;
        for (Map.Entry<Long, OpenBatch> e : entries) {
            if (freed >= bytes || e.getValue().heldBytes() == 0) {
                break;
            }
            chosen.add(e.getKey());
            freed += e.getValue().heldBytes();
        }
        return chosen;
    }
}
