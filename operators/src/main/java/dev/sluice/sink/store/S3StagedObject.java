package dev.sluice.sink.store;

import dev.sluice.config.Destination;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A multipart upload in progress. Appended bytes gather in one part buffer that is uploaded, with
 * its Content-MD5 so the store rejects a corrupted part, each time it reaches the part size; every
 * part but the last is therefore at least that size, as S3 requires (5 MiB).
 */
final class S3StagedObject implements StagedObject {

    private final S3Client client;
    private final Destination destination;
    private final String key;
    private final String uploadId;
    private final byte[] part;
    private final List<String> etags = new ArrayList<>();
    private int filled;
    private long length;

    S3StagedObject(
            S3Client client, Destination destination, String key, String uploadId, int partSize) {
        this.client = client;
        this.destination = destination;
        this.key = key;
        this.uploadId = uploadId;
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
                uploadPart();
            }
        }
        length += data.length;
    }

    @Override
    public Staged finish() throws IOException {
        if (filled > 0 || etags.isEmpty()) {
            uploadPart();
        }
        return new Staged(uploadId, etags, length);
    }

    private void uploadPart() throws IOException {
        int partNumber = etags.size() + 1;
        int size = filled;
        try {
            String etag =
                    client.uploadPart(
                                    r ->
                                            r.bucket(destination.bucket())
                                                    .key(key)
                                                    .uploadId(uploadId)
                                                    .partNumber(partNumber)
                                                    .contentLength((long) size)
                                                    .contentMD5(md5Base64(part, size)),
                                    // A fresh view of the part buffer for every attempt: retries
                                    // resend it whole, without a copy.
                                    RequestBody.fromContentProvider(
                                            () -> new ByteArrayInputStream(part, 0, size),
                                            size,
                                            "application/octet-stream"))
                            .eTag();
            etags.add(etag);
            filled = 0;
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

    @Override
    public void abort() {
        try {
            client.abortMultipartUpload(
                    r -> r.bucket(destination.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // Never completed, so never visible; recovery's stale-upload sweep retries it.
        }
    }

    private static String md5Base64(byte[] body, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(body, 0, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
