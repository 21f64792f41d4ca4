package dev.sluice.sink.writer;

import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.park.ParkRoute;
import dev.sluice.sink.store.Staging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One batch in the writer, from its first chunk until Flink takes its committable: its chunks held
 * or its upload, and its move to the park store when its destination fails.
 */
final class PendingBatch {

    /** Where the batch's bytes go; a batch only moves down this list. */
    enum State {
        /** Chunks held in memory: the batch goes whole while it fits. */
        HELD,
        /** Chunks streamed into an upload in the job's destination. */
        STAGING,
        /** Chunks streamed into an upload in the park store. */
        PARKED,
        /** Its committable is Flink's. */
        HANDED_OVER,
        /** Given up: its upload is aborted, never completed. */
        ABORTED,
        /**
         * Its destination failed and there is no park store (the operator's opt-out): dropped and
         * counted; its remaining chunks are ignored.
         */
        DISCARDED
    }

    /** What every batch of one writer shares. */
    record Shared(
            BatchStores stores, WholeObjects whole, WriterMetrics metrics, LongSupplier clock) {}

    /** The store's answer for the last byte, and when it came; made off the task thread. */
    private record Acknowledged(ObjectCommittable committable, long at) {}

    private final BatchChunk first;
    private final long startedAt;
    private final Shared shared;
    private State state = State.HELD;

    /** While {@link State#HELD}: the chunks so far. */
    private final List<byte[]> held = new ArrayList<>();

    private long heldBytes;

    /** While {@link State#STAGING} or {@link State#PARKED}: where the chunks go. */
    private BatchUpload upload;

    private BatchChunk last;
    private CompletableFuture<Acknowledged> result;

    /** What the checkpoint hands to the committer, once the store acknowledged every byte. */
    private ObjectCommittable committable;

    private long stagedAt;

    /** Why the batch is parked; null while it is bound for its own destination. */
    private String parkedReason;

    private PendingBatch(BatchChunk first, long startedAt, Shared shared) {
        this.first = first;
        this.startedAt = startedAt;
        this.shared = shared;
    }

    /** A batch from its first chunk, parked straight away while its destination is skipped. */
    static PendingBatch begin(BatchChunk first, long startedAt, Shared shared) throws IOException {
        PendingBatch batch = new PendingBatch(first, startedAt, shared);
        ParkRoute park = shared.stores().park();
        if (park.skips(first.destination)) {
            String reason = park.skippedReason(first.destination);
            if (park.enabled()) {
                batch.park(reason);
            } else {
                batch.discard(reason);
            }
        } else if (!shared.whole().enabled()) {
            batch.startUpload();
        }
        return batch;
    }

    State state() {
        return state;
    }

    BatchChunk first() {
        return first;
    }

    /** Takes the batch's next chunk; one that outgrows a whole object stages the batch. */
    void add(BatchChunk chunk) throws IOException {
        if (state == State.DISCARDED) {
            // Nothing to check the chunk against: the upload is gone.
        } else if (state == State.HELD) {
            hold(chunk);
        } else {
            upload.expect(chunk);
            append(chunk.data);
        }
        if (chunk.last) {
            last = chunk;
        }
    }

    private void hold(BatchChunk chunk) throws IOException {
        BatchUpload.expectNext(chunk, held.size(), first.key);
        held.add(chunk.data);
        heldBytes += chunk.data.length;
        if (shared.whole().fits(heldBytes)) {
            return;
        }
        startUpload();
        for (byte[] data : held) {
            append(data);
        }
        held.clear();
        heldBytes = 0;
    }

    /** Starts staging in the batch's destination, or in the park store if that fails. */
    private void startUpload() throws IOException {
        try {
            upload = shared.stores().begin(first);
            state = State.STAGING;
        } catch (IOException e) {
            reroute(e);
        }
    }

    /** Appends to the batch's upload; a failing store reroutes it to the park store. */
    private void append(byte[] data) throws IOException {
        try {
            upload.append(data);
        } catch (IOException e) {
            reroute(e);
            if (state == State.DISCARDED) {
                return;
            }
        }
        shared.metrics().sent(data.length);
    }

    /** The batch's chunks, held, are the whole object: its committable carries them. */
    void handOverWhole() {
        byte[] body = concat(held, heldBytes);
        held.clear();
        heldBytes = 0;
        stagedAt = shared.clock().getAsLong();
        shared.whole().take(body.length);
        shared.metrics().sent(body.length);
        shared.metrics().whole();
        committable = ObjectCommittable.whole(last, body);
    }

    /** Gzip members and zstd frames concatenate into one valid object. */
    private static byte[] concat(List<byte[]> chunks, long length) {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] body = new byte[Math.toIntExact(length)];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, body, at, chunk.length);
            at += chunk.length;
        }
        return body;
    }

    /** The last chunk is appended: the store finishes the upload while the next batch begins. */
    void finishAsync() {
        if (state == State.DISCARDED) {
            result = CompletableFuture.completedFuture(null);
            return;
        }
        LongSupplier clock = shared.clock();
        result =
                upload.finishAsync(last)
                        .thenApply(done -> new Acknowledged(done, clock.getAsLong()));
    }

    /** Whether the store answered for the last byte; then {@link #settle} does not wait. */
    boolean answered() {
        return result.isDone();
    }

    /**
     * Waits for the store's answer; a failing destination's batch is parked then, and waited for.
     */
    void settle() throws IOException {
        if (state == State.DISCARDED) {
            return;
        }
        try {
            Acknowledged acknowledged = Staging.await(result);
            upload.release();
            committable = acknowledged.committable();
            stagedAt = acknowledged.at();
        } catch (IOException e) {
            // Rare: parking from here waits for the park store on the task thread.
            reroute(e);
            if (state == State.DISCARDED) {
                return;
            }
            committable = Staging.await(upload.finishAsync(last));
            stagedAt = shared.clock().getAsLong();
        }
    }

    /**
     * The job's destination failed while staging: stage the batch in the park store instead, from
     * the chunks kept so far; without a park store, discard it. Fails when the park store is what
     * failed (no single job's failure), or the batch outgrew what is kept.
     */
    private void reroute(IOException failure) throws IOException {
        ParkRoute park = shared.stores().park();
        if (state == State.PARKED) {
            abortUpload();
            throw failure;
        }
        if (!park.enabled()) {
            if (!park.discards()) {
                abortUpload();
                throw failure;
            }
            park.failed(first.jobId, first.destination, first.seq, failure);
            discard(failure.getMessage());
            return;
        }
        park.failed(first.jobId, first.destination, first.seq, failure);
        if (state != State.STAGING) {
            park(failure.getMessage());
            return;
        }
        try (RetainedChunks sofar = upload.abortKeepingChunks()) {
            park(failure.getMessage());
            sofar.replay(upload::append);
        }
    }

    private void discard(String reason) {
        abortUpload();
        state = State.DISCARDED;
        shared.stores().park().discarding(first.jobId, first.destination, first.key, reason);
    }

    private void park(String reason) throws IOException {
        upload = shared.stores().beginParked(first, reason);
        state = State.PARKED;
        parkedReason = reason;
    }

    /** Bytes handed to the store so far. */
    long length() {
        return upload == null ? 0 : upload.length();
    }

    /** Counts the batch, ready for the checkpoint, and tells its destination's health. */
    void ready() {
        if (state == State.DISCARDED) {
            shared.stores().park().countedDiscarded(last.records);
            return;
        }
        boolean parked = state == State.PARKED;
        shared.metrics()
                .staged(
                        last,
                        committable.length(),
                        stagedAt - startedAt,
                        parked,
                        committable.isWhole());
        if (parked) {
            shared.stores().park().counted(last.records);
        } else if (!committable.isWhole()) {
            // A whole object has not met its destination yet: the committer writes it.
            shared.stores().park().delivered(last.destination);
        }
    }

    /** Hands the committable to Flink: from here on, committing it is Flink's. */
    ObjectCommittable handOver() {
        state = State.HANDED_OVER;
        // Its upload is the park store's already; the committable says why, for the job's status.
        return parkedReason == null
                ? committable
                : committable.parked(committable.destination(), committable.key(), parkedReason);
    }

    /** Gives up on the batch: its upload, if any, is aborted and never completed. */
    void abort() {
        abortUpload();
        state = State.ABORTED;
    }

    private void abortUpload() {
        if (upload != null) {
            upload.abort();
        }
    }
}
