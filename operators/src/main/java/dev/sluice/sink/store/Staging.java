package dev.sluice.sink.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting for staging work that runs off the task thread, with its failure as an IOException. */
public final class Staging {

    private Staging() {}

    /** Waits for {@code work}; its failure is rethrown as the IOException it was, or wraps one. */
    public static <T> T await(CompletableFuture<T> work) throws IOException {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the object store");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** The IOException behind a failed future's cause, unwrapped from the future's wrappers. */
    public static IOException failure(Throwable cause) {
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IOException io) {
            // A new exception, so the stack shows where it was waited for, too.
            return new IOException(io.getMessage(), io);
        }
        return new IOException("staging failed: " + cause, cause);
    }
}
