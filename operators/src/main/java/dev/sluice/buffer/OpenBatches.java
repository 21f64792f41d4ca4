package dev.sluice.buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open batches one buffer subtask keeps in memory, by job, and the uncompressed bytes they hold
 * there. Holds only batches that received a record since the subtask started (a restored one is
 * read from keyed state when its job next needs it), so its size follows the open batches, which
 * the caps bound, never the number of configured jobs.
 */
final class OpenBatches {

    private final Map<Long, OpenBatch> byJob = new HashMap<>();
    private long pendingBytes;

    OpenBatch get(long jobId) {
        return byJob.get(jobId);
    }

    void put(long jobId, OpenBatch batch) {
        OpenBatch previous = byJob.put(jobId, batch);
        pendingBytes += batch.pendingBytes() - (previous == null ? 0 : previous.pendingBytes());
    }

    void append(OpenBatch batch, byte[] line) {
        batch.append(line);
        pendingBytes += line.length;
    }

    /** The batch's pending records went into a chunk. */
    void compressed(OpenBatch batch) {
        pendingBytes -= batch.pendingBytes();
        batch.compressed();
    }

    /** The batch's pending records were written out to keyed state and left memory. */
    void spilled(OpenBatch batch) {
        pendingBytes -= batch.pendingBytes();
        batch.spilled();
    }

    /** The job's batch was delivered: its bookkeeping is back in keyed state. */
    void remove(long jobId) {
        OpenBatch batch = byJob.remove(jobId);
        if (batch != null) {
            pendingBytes -= batch.pendingBytes();
        }
    }

    /** Uncompressed records held in memory, in bytes. */
    long pendingBytes() {
        return pendingBytes;
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
     * The jobs holding the most pending bytes in memory, most first, that together hold at least
     * {@code bytes}: whose records to take out of memory so that it holds {@code bytes} less. A
     * sort per call; the caller frees a quarter of the budget at a time, so it runs rarely.
     */
    List<Long> largestPending(long bytes) {
        List<Map.Entry<Long, OpenBatch>> entries = new ArrayList<>(byJob.entrySet());
        entries.sort(
                (a, b) -> Long.compare(b.getValue().pendingBytes(), a.getValue().pendingBytes()));
        List<Long> chosen = new ArrayList<>();
        long freed = 0;
        for (Map.Entry<Long, OpenBatch> e : entries) {
            if (freed >= bytes || e.getValue().pendingBytes() == 0) {
                break;
            }
            chosen.add(e.getKey());
            freed += e.getValue().pendingBytes();
        }
        return chosen;
    }
}
