package dev.sluice.sink.writer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Batches whose last chunk is appended and that the store is still finishing, oldest first; past
 * its bounds the task thread waits for the oldest, so a slow store backpressures the source.
 */
final class InFlightWindow {

    /** Batches handed to the store and not yet acknowledged, at most. */
    static final int MAX_BATCHES_IN_FLIGHT = 16;

    /** Bytes of batches handed to the store and not yet acknowledged before the writer waits. */
    static final long MAX_BYTES_IN_FLIGHT = 64L * 1024 * 1024;

    private final Deque<PendingBatch> batches = new ArrayDeque<>();
    private final Consumer<PendingBatch> settled;
    private long bytes;

    /**
     * @param settled takes each batch the store acknowledged, oldest first, on the task thread
     */
    InFlightWindow(Consumer<PendingBatch> settled) {
        this.settled = settled;
    }

    /** Lets the store finish {@code batch} while the next one begins. */
    void add(PendingBatch batch) {
        batch.finishAsync();
        batches.addLast(batch);
        bytes += batch.length();
    }

    /** Waits for the oldest batches while too many, or too many bytes, are with the store. */
    void makeRoom() throws IOException {
        while (!batches.isEmpty()
                && (batches.size() >= MAX_BATCHES_IN_FLIGHT || bytes >= MAX_BYTES_IN_FLIGHT)) {
            settleOldest();
        }
    }

    /** Takes the batches the store answered for, oldest first, up to the first still under way. */
    void settleAnswered() throws IOException {
        while (!batches.isEmpty() && batches.peekFirst().answered()) {
            settleOldest();
        }
    }

    /** Waits for every batch with the store. */
    void settleAll() throws IOException {
        while (!batches.isEmpty()) {
            settleOldest();
        }
    }

    private void settleOldest() throws IOException {
        PendingBatch batch = batches.pollFirst();
        bytes -= batch.length(); // before a failure moves the batch to the park store
        batch.settle();
        settled.accept(batch);
    }

    int size() {
        return batches.size();
    }

    /** Gives up on every batch with the store. */
    void abortAll() {
        batches.forEach(PendingBatch::abort);
        batches.clear();
        bytes = 0;
    }
}
