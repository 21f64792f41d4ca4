package dev.sluice.sink.store;

import dev.sluice.config.Destination;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A multipart upload in progress. Nothing here waits for the store on the caller's thread except
 * for a free request slot ({@link PartUploads}): the upload is created, and each part uploaded, on
 * the upload threads, so the task thread can stage the next objects meanwhile. The upload is
 * created by the same task that sends its first part, when that part is ready: a small object is
 * one task of two requests in a row, and no thread waits for another's creation. Appended bytes
 * gather in a part buffer that is handed over each time it reaches the part size, so every part but
 * the last is at least that size, as S3 requires (5 MiB); each part carries its Content-MD5, so the
 * store rejects a corrupted one. {@link #finishAsync} completes when every part is acknowledged.
 */
final class S3StagedObject implements StagedObject {

    /** A part buffer starts this small and doubles up to the part size: most objects are small. */
    private static final int FIRST_BUFFER = 64 * 1024;

    /**
     * Longest wait for a request under way before an abort; the client's call timeout bounds it
     * too.
     */
    private static final Duration ABORT_WAIT = Duration.ofMinutes(2);

    private final S3Client client;
    private final PartUploads uploads;
    private final Destination destination;
    private final String key;
    private final Callable<String> create;

    /** The upload's id once created; null until the first part is handed over. */
    private CompletableFuture<String> uploadId;

    private final int partSize;
    private final List<CompletableFuture<String>> parts = new ArrayList<>();
    private byte[] part = new byte[0];
    private int filled;
    private long length;

    /**
     * @param create creates the upload and returns its id; run with the first part
     */
    S3StagedObject(
            S3Client client,
            PartUploads uploads,
            Destination destination,
            String key,
            Callable<String> create,
            int partSize) {
        this.client = client;
        this.uploads = uploads;
        this.destination = destination;
        this.key = key;
        this.create = create;
        this.partSize = partSize;
    }

    @Override
    public void append(byte[] data) throws IOException {
        failFast();
        int offset = 0;
        while (offset < data.length) {
            int n = Math.min(partSize - filled, data.length - offset);
            ensureRoom(n);
            System.arraycopy(data, offset, part, filled, n);
            filled += n;
            offset += n;
            if (filled == partSize) {
                startPart();
            }
        }
        length += data.length;
    }

    private void ensureRoom(int n) {
        if (filled + n > part.length) {
            // An object that filled a part already is large: its next part will fill too.
            int size = Math.max(parts.isEmpty() ? FIRST_BUFFER : partSize, part.length);
            while (size < filled + n) {
                size *= 2;
            }
            part = Arrays.copyOf(part, Math.min(size, partSize));
        }
    }

    @Override
    public CompletableFuture<Staged> finishAsync() {
        try {
            if (filled > 0 || parts.isEmpty()) {
                startPart();
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<String>> all = List.copyOf(parts);
        long staged = length;
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(
                        done ->
                                new Staged(
                                        uploadId.join(),
                                        all.stream().map(CompletableFuture::join).toList(),
                                        staged));
    }

    /** Hands the filled part to an upload thread and starts a fresh buffer. */
    private void startPart() throws IOException {
        int partNumber = parts.size() + 1;
        byte[] bytes = part;
        int size = filled;
        String md5 = ContentMd5.of(bytes, size);
        if (uploadId == null) {
            CompletableFuture<String> id = new CompletableFuture<>();
            uploadId = id;
            parts.add(
                    uploads.submit(() -> uploadPart(partNumber, createFor(id), bytes, size, md5)));
        } else {
            // Slots are taken in order and the upload threads run tasks in order, so the task
            // creating the upload is running or done by the time this one waits for its id.
            CompletableFuture<String> id = uploadId;
            parts.add(
                    uploads.submit(
                            () -> uploadPart(partNumber, Staging.await(id), bytes, size, md5)));
        }
        part = new byte[0];
        filled = 0;
    }

    private String createFor(CompletableFuture<String> id) throws Exception {
        try {
            String created = create.call();
            id.complete(created);
            return created;
        } catch (Exception | Error e) {
            id.completeExceptionally(e);
            throw e;
        }
    }

    private String uploadPart(int partNumber, String id, byte[] bytes, int size, String md5)
            throws IOException {
        try {
            return client.uploadPart(
                            r ->
                                    r.bucket(destination.bucket())
                                            .key(key)
                                            .uploadId(id)
                                            .partNumber(partNumber)
                                            .contentLength((long) size)
                                            .contentMD5(md5),
                            // A fresh view of the part for every attempt: retries resend it
                            // whole, without a copy.
                            RequestBody.fromContentProvider(
                                    () -> new ByteArrayInputStream(bytes, 0, size),
                                    size,
                                    "application/octet-stream"))
                    .eTag();
        } catch (SdkException e) {
            throw new IOException(
                    "uploading part "
                            + partNumber
                            + " of "
                            + S3ObjectStore.address(destination, key)
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /** A creation or part that already failed fails the next append, not only the finish. */
    private void failFast() throws IOException {
        if (uploadId != null && uploadId.isCompletedExceptionally()) {
            Staging.await(uploadId);
        }
        for (CompletableFuture<String> p : parts) {
            if (p.isCompletedExceptionally()) {
                Staging.await(p);
            }
        }
    }

    /**
     * Waits for the requests under way (bounded by the client's own timeouts, and not cut short by
     * an interrupt: a task being cancelled aborts too), so the abort is the upload's last request
     * and no creation finishes after it unseen.
     */
    @Override
    public void abort() {
        if (uploadId == null) {
            return; // nothing was sent: there is no upload
        }
        boolean interrupted = Thread.interrupted();
        try {
            List<CompletableFuture<?>> pending = new ArrayList<>(parts);
            pending.add(uploadId);
            for (CompletableFuture<?> p : pending) {
                interrupted |= awaitQuietly(p);
            }
            if (!uploadId.isDone() || uploadId.isCompletedExceptionally()) {
                return; // never created, or still unknown after the wait: the sweep's to find
            }
            client.abortMultipartUpload(
                    r -> r.bucket(destination.bucket()).key(key).uploadId(uploadId.join()));
        } catch (SdkException e) {
            // Never completed, so never visible; recovery's stale-upload sweep retries it.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for {@code request} to end, however it ends; true if interrupted meanwhile. */
    private static boolean awaitQuietly(CompletableFuture<?> request) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + ABORT_WAIT.toNanos();
        while (!request.isDone() && System.nanoTime() < deadline) {
            try {
                request.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (Exception e) {
                // Ended (or timed out): either way, waited.
            }
        }
        return interrupted;
    }
}
