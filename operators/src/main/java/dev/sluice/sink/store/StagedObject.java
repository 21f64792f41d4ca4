package dev.sluice.sink.store;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An object being staged: its bytes arrive in order and are stored as they come (S3 parts of at
 * least the store's minimum size, or a file), so staging holds at most one part in memory.
 */
public interface StagedObject {

    /** Appends {@code data} to the object. */
    void append(byte[] data) throws IOException;

    /**
     * Stores what is left. The future completes with the store's handle on the staged bytes once
     * every byte is stored, or fails with an {@link IOException}; a store may still be writing when
     * this returns, so several objects can be staged at once.
     */
    CompletableFuture<Staged> finishAsync();

    /** Stores what is left and waits for it: the store's handle on the staged bytes. */
    default Staged finish() throws IOException {
        return Staging.await(finishAsync());
    }

    /** Gives up on the object; best effort, never throws. */
    void abort();

    /**
     * What the committer needs to make the object visible.
     *
     * @param uploadId the S3 upload id, or the temp file's name
     * @param partETags the ETags of the uploaded parts in order; empty for files
     * @param length bytes staged
     */
    record Staged(String uploadId, List<String> partETags, long length) {}
}
