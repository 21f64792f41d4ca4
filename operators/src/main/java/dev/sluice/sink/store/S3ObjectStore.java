package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stages objects as S3 multipart uploads and commits them by completing the upload. Works with AWS
 * S3, Cloudflare R2 and S3-compatible servers. Each part carries its Content-MD5 so the store
 * rejects a corrupted part; the commit checks the completed object's length.
 */
public final class S3ObjectStore implements ObjectStore {

    /** S3's minimum part size is 5 MiB (except the last part); 8 MiB keeps part counts low. */
    static final int PART_SIZE = 8 * 1024 * 1024;

    private static final int MAX_CONNECTIONS = 16;

    private final S3Client client;

    private final PartUploads uploads;
    private final Duration createTimeout;

    S3ObjectStore(S3Client client, PartUploads uploads, Duration createTimeout) {
        this.client = client;
        this.uploads = uploads;
        this.createTimeout = createTimeout;
    }

    static S3ObjectStore create(S3ClientSettings settings, PartUploads uploads) {
        return new S3ObjectStore(
                newClient(settings), uploads, Duration.ofMillis(settings.createTimeoutMillis()));
    }

    static S3Client newClient(S3ClientSettings settings) {
        S3ClientBuilder builder =
                S3Client.builder()
                        .region(Region.of(settings.region()))
                        .credentialsProvider(credentials(settings))
                        .httpClientBuilder(
                                ApacheHttpClient.builder().maxConnections(MAX_CONNECTIONS))
                        // Standard retries: exponential backoff with jitter, a few attempts;
                        // then the writer parks the batch instead of retrying forever.
                        .overrideConfiguration(
                                o ->
                                        o.retryStrategy(RetryMode.STANDARD)
                                                .apiCallAttemptTimeout(
                                                        Duration.ofMillis(
                                                                settings.attemptTimeoutMillis()))
                                                .apiCallTimeout(
                                                        Duration.ofMillis(
                                                                settings.callTimeoutMillis())))
                        .requestChecksumCalculation(
                                settings.checksumsWhenSupported()
                                        ? RequestChecksumCalculation.WHEN_SUPPORTED
                                        : RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(
                                settings.checksumsWhenSupported()
                                        ? ResponseChecksumValidation.WHEN_SUPPORTED
                                        : ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3ClientSettings settings) {
        if (settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                            settings.accessKeyId().get(), settings.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * Returns at once: the upload is created on an upload thread with the object's first part, and
     * a failed creation fails the object's next append or its finish.
     */
    @Override
    public StagedObject begin(
            Destination d, String key, String contentType, Map<String, String> metadata) {
        return new S3StagedObject(
                client,
                uploads,
                d,
                key,
                () -> createUpload(d, key, contentType, metadata),
                PART_SIZE);
    }

    private String createUpload(
            Destination d, String key, String contentType, Map<String, String> metadata)
            throws IOException {
        try {
            return client.createMultipartUpload(
                            r ->
                                    r.bucket(d.bucket())
                                            .key(key)
                                            .contentType(contentType)
                                            .metadata(metadata)
                                            .overrideConfiguration(
                                                    o -> o.apiCallTimeout(createTimeout)))
                    .uploadId();
        } catch (SdkException e) {
            throw new IOException("staging " + location(d, key) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * One request, with the short timeout of an upload's creation: these bodies are small (a
     * manifest, or a batch of at most the whole-object size), and a destination that does not
     * answer must cost the caller seconds, not the minutes of a part's timeout.
     */
    @Override
    public void put(
            Destination d,
            String key,
            byte[] body,
            String contentType,
            Map<String, String> metadata)
            throws IOException {
        try {
            client.putObject(
                    r ->
                            r.bucket(d.bucket())
                                    .key(key)
                                    .contentType(contentType)
                                    .contentLength((long) body.length)
                                    .contentMD5(ContentMd5.of(body, body.length))
                                    .metadata(metadata)
                                    .overrideConfiguration(o -> o.apiCallTimeout(createTimeout)),
                    // A fresh view of the body for every attempt, without a copy.
                    RequestBody.fromContentProvider(
                            () -> new ByteArrayInputStream(body), body.length, contentType));
        } catch (AbortedException e) {
            // The caller is being stopped; the store did nothing wrong.
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted =
                    new InterruptedIOException("writing " + location(d, key) + " was interrupted");
            interrupted.initCause(e);
            throw interrupted;
        } catch (SdkException e) {
            throw new IOException("writing " + location(d, key) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public CommitOutcome commit(Destination d, ObjectCommittable c) throws IOException {
        if (c.isWhole()) {
            putWhole(d, c);
            return CommitOutcome.COMMITTED;
        }
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < c.partETags().size(); i++) {
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(c.partETags().get(i)).build());
        }
        CommitOutcome outcome = CommitOutcome.COMMITTED;
        String completedETag = null;
        try {
            completedETag =
                    client.completeMultipartUpload(
                                    r ->
                                            r.bucket(d.bucket())
                                                    .key(c.key())
                                                    .uploadId(c.uploadId())
                                                    .multipartUpload(
                                                            CompletedMultipartUpload.builder()
                                                                    .parts(parts)
                                                                    .build()))
                            .eTag();
        } catch (SdkClientException e) {
            throw new IOException(
                    "completing " + location(d, c.key()) + " failed: " + e.getMessage(), e);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new IOException(
                        "completing " + location(d, c.key()) + " failed: " + e.getMessage(), e);
            }
            // The upload is gone: an earlier attempt of this commit completed it, or it was lost.
            outcome = CommitOutcome.ALREADY_COMMITTED;
        }
        if (outcome == CommitOutcome.COMMITTED && verifiedByETag(d, c, completedETag)) {
            return outcome;
        }
        verifyLength(d, c);
        return outcome;
    }

    /**
     * Whether the completion's own answer proves the object is the staged parts: its multipart ETag
     * (MD5 of the parts' MD5s, each part checked against its Content-MD5 on upload) is the one the
     * staged parts imply, which fixes the content and so the length, without another request. False
     * when the store reports no such ETag; then {@link #verifyLength} asks the store.
     */
    private static boolean verifiedByETag(Destination d, ObjectCommittable c, String etag)
            throws IntegrityException {
        Optional<String> expected = MultipartETag.of(c.partETags());
        if (expected.isEmpty() || !MultipartETag.comparable(etag)) {
            return false;
        }
        if (!expected.get().equals(MultipartETag.unquote(etag))) {
            throw new IntegrityException(
                    location(d, c.key())
                            + " was completed with ETag "
                            + etag
                            + "; the staged parts make "
                            + expected.get());
        }
        return true;
    }

    /**
     * The completed object must have the staged length and, where the store reports multipart ETags
     * as S3 does (MD5 of the parts' MD5s, then {@code -<parts>}), exactly the ETag the staged parts
     * imply: a different object under the key (a concurrent writer, a lifecycle rule, a truncated
     * completion) is an integrity failure, never a success.
     */
    private void verifyLength(Destination d, ObjectCommittable c) throws IOException {
        long actual;
        String etag;
        try {
            HeadObjectResponse head = client.headObject(r -> r.bucket(d.bucket()).key(c.key()));
            actual = head.contentLength();
            etag = head.eTag();
        } catch (NoSuchKeyException e) {
            throw new IntegrityException(
                    location(d, c.key())
                            + " is missing and its upload "
                            + c.uploadId()
                            + " is gone");
        } catch (SdkClientException e) {
            throw new IOException(
                    "verifying " + location(d, c.key()) + " failed: " + e.getMessage(), e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new IntegrityException(
                        location(d, c.key())
                                + " is missing and its upload "
                                + c.uploadId()
                                + " is gone");
            }
            throw new IOException(
                    "verifying " + location(d, c.key()) + " failed: " + e.getMessage(), e);
        }
        if (actual != c.length()) {
            throw new IntegrityException(
                    location(d, c.key())
                            + " has "
                            + actual
                            + " bytes; "
                            + c.length()
                            + " were staged");
        }
        Optional<String> expected = MultipartETag.of(c.partETags());
        if (expected.isPresent() && MultipartETag.comparable(etag)) {
            if (!expected.get().equals(MultipartETag.unquote(etag))) {
                throw new IntegrityException(
                        location(d, c.key())
                                + " has ETag "
                                + etag
                                + "; the staged parts make "
                                + expected.get());
            }
        }
    }

    @Override
    public int abortStale(Destination d, long jobId, long fromSeq) throws IOException {
        int aborted = 0;
        try {
            for (MultipartUpload upload :
                    client.listMultipartUploadsPaginator(
                                    r -> r.bucket(d.bucket()).prefix(ObjectKeys.listingPrefix(d)))
                            .uploads()) {
                OptionalLong seq = ObjectKeys.sequenceOf(upload.key(), jobId);
                if (seq.isPresent() && seq.getAsLong() >= fromSeq) {
                    client.abortMultipartUpload(
                            r ->
                                    r.bucket(d.bucket())
                                            .key(upload.key())
                                            .uploadId(upload.uploadId()));
                    aborted++;
                }
            }
        } catch (SdkException e) {
            throw new IOException(
                    "listing stale uploads in s3://" + d.bucket() + " failed: " + e.getMessage(),
                    e);
        }
        return aborted;
    }

    static String location(Destination d, String key) {
        return "s3://" + d.bucket() + "/" + key;
    }

    @Override
    public void close() {
        client.close();
    }
}
