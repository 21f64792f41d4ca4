package dev.sluice.sink.writer;

import dev.sluice.sink.SinkSettings;

/**
 * Which batches go whole, carried in their committable: those up to the whole-object size, while
 * the checkpoint's share ({@link SinkSettings#MAX_WHOLE_BYTES_PER_CHECKPOINT}) lasts.
 */
final class WholeObjects {

    /** The largest batch handed over whole; 0 for none. */
    private final long maxBytes;

    /** Bytes of whole objects waiting for the next checkpoint. */
    private long bytes;

    WholeObjects(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    boolean enabled() {
        return maxBytes > 0;
    }

    /** Whether a batch of {@code batchBytes} so far may still go whole. */
    boolean fits(long batchBytes) {
        return batchBytes <= maxBytes
                && bytes + batchBytes <= SinkSettings.MAX_WHOLE_BYTES_PER_CHECKPOINT;
    }

    void take(long batchBytes) {
        bytes += batchBytes;
    }

    /** The checkpoint took them: the next one has its own share. */
    void handedOver() {
        bytes = 0;
    }
}
