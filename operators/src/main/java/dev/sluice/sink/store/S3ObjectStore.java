package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.config.S3ApiSettings;
import dev.sluice.config.S3ObjectOptions;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * rejects a corrupted part; the commit checks the completed object ({@link S3Completion}).
 */
public final class S3ObjectStore implements ObjectStore {

    /** S3's minimum part size is 5 MiB (except the last part); 8 MiB keeps part counts low. */
    static final int PART_SIZE = 8 * 1024 * 1024;

    private final S3Client client;

    private final PartUploads uploads;
    private final Duration createTimeout;
    private final S3Completion completion;

    /** Encryption, storage class and ACL: every object of the destination is written with them. */
    private final S3ObjectOptions options;

    S3ObjectStore(S3Client client, PartUploads uploads, Duration createTimeout) {
        this(client, uploads, createTimeout, S3ObjectOptions.NONE);
    }

    /** What the client's credentials hold open (an assumed role's STS client); closed with it. */
    private final SdkAutoCloseable credentials;

    S3ObjectStore(
            S3Client client, PartUploads uploads, Duration createTimeout, S3ObjectOptions options) {
        this(client, uploads, createTimeout, options, () -> {});
    }

    private S3ObjectStore(
            S3Client client,
            PartUploads uploads,
            Duration createTimeout,
            S3ObjectOptions options,
            SdkAutoCloseable credentials) {
        this.credentials = credentials;
        this.client = client;
        this.uploads = uploads;
        this.createTimeout = createTimeout;
        this.completion = new S3Completion(client);
        this.options = options;
    }

    static S3ObjectStore create(S3ApiSettings settings, PartUploads uploads) {
        AwsCredentialsProvider credentials = S3Clients.credentials(settings);
        return new S3ObjectStore(
                S3Clients.of(settings, credentials),
                uploads,
                Duration.ofMillis(settings.createTimeoutMillis()),
                settings.objectOptions(),
                credentials instanceof SdkAutoCloseable closeable ? closeable : () -> {});
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
                                    S3WriteOptions.apply(
                                            options,
                                            r.bucket(d.bucket())
                                                    .key(key)
                                                    .contentType(contentType)
                                                    .metadata(metadata)
                                                    .overrideConfiguration(
                                                            o -> o.apiCallTimeout(createTimeout))))
                    .uploadId();
        } catch (SdkException e) {
            throw failed("staging", d, key, e);
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
        putObject(d, key, body, contentType, metadata, Optional.of(createTimeout));
    }

    /**
     * One put below a part's size, else a multipart upload streamed through the part buffers and
     * checked as a commit is. Requests take the client's own timeouts: a body may be large, and an
     * operator's copy waits for a slow store rather than giving up on it.
     */
    @Override
    public void write(
            Destination d,
            String key,
            InputStream body,
            long length,
            String contentType,
            Map<String, String> metadata)
            throws IOException {
        if (length < PART_SIZE) {
            byte[] bytes = ExactBody.read(body, (int) length, address(d, key));
            putObject(d, key, bytes, contentType, metadata, Optional.empty());
            return;
        }
        StagedObject staged = begin(d, key, contentType, metadata);
        try {
            ExactBody.copy(body, length, staged, address(d, key));
            completion.complete(d, key, staged.finish());
        } catch (IOException | RuntimeException e) {
            staged.abort();
            throw e;
        }
    }

    private void putObject(
            Destination d,
            String key,
            byte[] body,
            String contentType,
            Map<String, String> metadata,
            Optional<Duration> callTimeout)
            throws IOException {
        try {
            client.putObject(
                    r -> {
                        r.bucket(d.bucket())
                                .key(key)
                                .contentType(contentType)
                                .contentLength((long) body.length)
                                .contentMD5(ContentMd5.of(body, body.length))
                                .metadata(metadata);
                        S3WriteOptions.apply(options, r);
                        callTimeout.ifPresent(
                                t -> r.overrideConfiguration(o -> o.apiCallTimeout(t)));
                    },
                    // A fresh view of the body for every attempt, without a copy.
                    RequestBody.fromContentProvider(
                            () -> new ByteArrayInputStream(body), body.length, contentType));
        } catch (AbortedException e) {
            // The caller is being stopped; the store did nothing wrong.
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted =
                    new InterruptedIOException("writing " + address(d, key) + " was interrupted");
            interrupted.initCause(e);
            throw interrupted;
        } catch (SdkException e) {
            throw failed("writing", d, key, e);
        }
    }

    @Override
    public CommitOutcome commit(Destination d, ObjectCommittable c) throws IOException {
        if (c.isWhole()) {
            putWhole(d, c);
            return CommitOutcome.COMMITTED;
        }
        return completion.complete(
                d, c.key(), new StagedObject.Staged(c.uploadId(), c.partETags(), c.length()));
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
            throw failed("listing stale uploads in", d, "", e);
        }
        return aborted;
    }

    /** Unfinished multipart uploads are not listed: S3 keeps them apart from objects. */
    @Override
    public List<ListedObject> list(Destination d, String prefix) throws IOException {
        List<ListedObject> listed = new ArrayList<>();
        try {
            for (S3Object o :
                    client.listObjectsV2Paginator(r -> r.bucket(d.bucket()).prefix(prefix))
                            .contents()) {
                listed.add(new ListedObject(o.key(), o.size(), o.lastModified()));
            }
        } catch (SdkException e) {
            throw failed("listing", d, prefix, e);
        }
        return listed;
    }

    @Override
    public Optional<ObjectHead> head(Destination d, String key) throws IOException {
        try {
            HeadObjectResponse h = client.headObject(r -> r.bucket(d.bucket()).key(key));
            return Optional.of(
                    new ObjectHead(
                            h.contentLength(), Optional.ofNullable(h.contentType()), h.metadata()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // A HEAD response has no body, so a missing key may come as a bare 404.
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failed("reading", d, key, e);
        } catch (SdkException e) {
            throw failed("reading", d, key, e);
        }
    }

    @Override
    public InputStream read(Destination d, String key) throws IOException {
        try {
            return client.getObject(r -> r.bucket(d.bucket()).key(key));
        } catch (SdkException e) {
            throw failed("reading", d, key, e);
        }
    }

    @Override
    public void delete(Destination d, String key) throws IOException {
        try {
            client.deleteObject(r -> r.bucket(d.bucket()).key(key));
        } catch (SdkException e) {
            throw failed("deleting", d, key, e);
        }
    }

    @Override
    public boolean keepsMetadata() {
        return true;
    }

    @Override
    public String location(Destination d, String key) {
        return address(d, key);
    }

    /** {@code <scheme>://<bucket>/<key>}: never the endpoint or credentials. */
    static String address(Destination d, String key) {
        return d.scheme() + "://" + d.bucket() + "/" + key;
    }

    private static IOException failed(String doing, Destination d, String key, SdkException e) {
        return new IOException(doing + " " + address(d, key) + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            credentials.close();
        }
    }
}
