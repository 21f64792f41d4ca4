package dev.sluice.sink.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store requests of one writer (or committer) that carry or start an object's bytes (upload
 * creations and parts): at most {@code maxInFlight} at a time, on their own threads, so several
 * objects, and a large object's parts, go out in parallel while the task thread fills the next.
 * Waiting for a free slot is the backpressure: a slow store slows the writer, and memory stays at
 * {@code maxInFlight} parts plus the one being filled.
 */
public final class PartUploads implements AutoCloseable {

    /**
     * Requests in flight per writer: enough to hide a store's round trip behind the task thread's
     * work on small objects; with 8 MiB parts, at most 64 MiB of part buffers.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 8;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Semaphore slots;
    private final ExecutorService threads;

    public PartUploads(int maxInFlight) {
        this.slots = new Semaphore(maxInFlight);
        this.threads =
                Executors.newFixedThreadPool(
                        maxInFlight,
                        r -> {
                            Thread t =
                                    new Thread(
                                            r, "sluice-part-upload-" + THREADS.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Starts {@code upload} once a slot is free; blocks until then. */
    <T> CompletableFuture<T> submit(Callable<T> upload) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a store request slot");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.execute(
                    () -> {
                        try {
                            result.complete(upload.call());
                        } catch (Throwable t) {
                            result.completeExceptionally(t);
                        } finally {
                            slots.release();
                        }
                    });
        } catch (RuntimeException e) {
            slots.release();
            throw new IOException("store request could not start", e);
        }
        return result;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
