package dev.sluice.sink.writer;

import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;

import java.util.concurrent.CompletableFuture;

/**
 * One batch in the writer, from its first chunk until the store acknowledged all of its bytes:
 * where it is being staged (its own destination, or the park store once rerouted) and, after its
 * last chunk, the pending result.
 */
final class StagingBatch {

    final BatchChunk first;
    final long startedAt;
    BatchUpload upload;
    boolean parked;
    BatchChunk last;
    CompletableFuture<ObjectCommittable> result;

    /** What the checkpoint hands to the committer, once the store acknowledged every byte. */
    ObjectCommittable committable;

    /** When the store acknowledged the last byte; set on the thread that saw it. */
    volatile long stagedAt;

    StagingBatch(BatchChunk first, long startedAt) {
        this.first = first;
        this.startedAt = startedAt;
    }
}
