package dev.sluice.sink.store;

import dev.sluice.config.Destination;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A multipart upload in progress. Appended bytes gather in a part buffer that is handed to {@link
 * PartUploads} each time it reaches the part size, so every part but the last is at least that
 * size, as S3 requires (5 MiB); each part carries its Content-MD5, so the store rejects a corrupted
 * one. {@link #finish} waits for every part: the object is staged only when all are acknowledged.
 */
final class S3StagedObject implements StagedObject {

    private final S3Client client;
    private final PartUploads uploads;
    private final Destination destination;
    private final String key;
    private final String uploadId;
    private final int partSize;
    private final List<CompletableFuture<String>> parts = new ArrayList<>();
    private byte[] part;
    private int filled;
    private long length;

    S3StagedObject(
            S3Client client,
            PartUploads uploads,
            Destination destination,
            String key,
            String uploadId,
            int partSize) {
        this.client = client;
        this.uploads = uploads;
        this.destination = destination;
        this.key = key;
        this.uploadId = uploadId;
        this.partSize = partSize;
        this.part = new byte[partSize];
    }

    @Override
    public void append(byte[] data) throws IOException {
        int offset = 0;
        while (offset < data.length) {
            int n = Math.min(part.length - filled, data.length - offset);
            System.arraycopy(data, offset, part, filled, n);
            filled += n;
            offset += n;
            if (filled == part.length) {
                startPart();
            }
        }
        length += data.length;
        failFast();
    }

    @Override
    public Staged finish() throws IOException {
        if (filled > 0 || parts.isEmpty()) {
            startPart();
        }
        List<String> etags = new ArrayList<>(parts.size());
        for (CompletableFuture<String> p : parts) {
            etags.add(await(p));
        }
        return new Staged(uploadId, etags, length);
    }

    /** Hands the filled part to an upload thread and starts a fresh buffer. */
    private void startPart() throws IOException {
        int partNumber = parts.size() + 1;
        byte[] bytes = part;
        int size = filled;
        String md5 = ContentMd5.of(bytes, size);
        parts.add(uploads.submit(() -> uploadPart(partNumber, bytes, size, md5)));
        part = new byte[partSize];
        filled = 0;
    }

    private String uploadPart(int partNumber, byte[] bytes, int size, String md5)
            throws IOException {
        try {
            return client.uploadPart(
                            r ->
                                    r.bucket(destination.bucket())
                                            .key(key)
                                            .uploadId(uploadId)
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
                            + S3ObjectStore.location(destination, key)
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /** A part that already failed fails the next append, not only the finish. */
    private void failFast() throws IOException {
        for (CompletableFuture<String> p : parts) {
            if (p.isCompletedExceptionally()) {
                await(p);
            }
        }
    }

    private static String await(CompletableFuture<String> part) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a part upload");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw new IOException(cause.getMessage(), cause);
            }
            throw new IOException("part upload failed: " + cause, cause);
        }
    }

    @Override
    public void abort() {
        for (CompletableFuture<String> p : parts) {
            try {
                p.get();
            } catch (Exception e) {
                // Only waiting for it to end, so the abort below is the last request.
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            client.abortMultipartUpload(
                    r -> r.bucket(destination.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // Never completed, so never visible; recovery's stale-upload sweep retries it.
        }
    }
}
